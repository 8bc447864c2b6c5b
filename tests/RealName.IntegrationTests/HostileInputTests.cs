using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using OpenCvSharp;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>
/// Oversized and overwhelming input gets a clear RESOURCE_EXHAUSTED with a reason, never UNKNOWN or
/// INTERNAL, and what was refused leaves neither state nor an audit row behind.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class HostileInputTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Client => new(grid.Gateway.As(Roles.RetailTerminal));

    [Fact]
    public async Task A_1_MB_session_id_is_INVALID_ARGUMENT_FIELD_TOO_LONG_and_leaves_nothing_behind()
    {
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone);
        request.Liveness = LivenessSdk.Attest(phone);
        request.Liveness.SessionId = new string('s', 1024 * 1024);
        var longClerk = Requests.Register(phone);
        longClerk.Channel.ClerkId = new string('c', 65);

        var sessionProblem = await RpcAssert.Invalid("liveness.session_id", () => Client.RegisterSubscriberAsync(request));
        var clerkProblem = await RpcAssert.Invalid("channel.clerk_id", () => Client.RegisterSubscriberAsync(longClerk));

        Assert.Equal("FIELD_TOO_LONG: at most 256 characters, got 1048576", sessionProblem);
        Assert.StartsWith("FIELD_TOO_LONG: at most 64 characters", clerkProblem, StringComparison.Ordinal);
        await AssertNothingStored(phone);
    }

    [Fact]
    public async Task A_30_MB_request_is_RESOURCE_EXHAUSTED_REQUEST_TOO_LARGE_and_leaves_nothing_behind()
    {
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone);
        request.Customer.PortraitImage = ByteString.CopyFrom(new byte[30 * 1024 * 1024]);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RegisterSubscriberAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("REQUEST_TOO_LARGE", info.Reason);
        Assert.Equal((16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), info.Metadata["limit_bytes"]);
        await AssertNothingStored(phone);

        // A client that sends the body's length up front (as buf curl does) gets the same answer, not HTTP 413.
        using var raw = new RawGrpc(grid.Gateway.GrpcAddress, GatewayServer.KeyFor(Roles.RetailTerminal));
        var (status, details) = await raw.CallAsync("/realname.v1.RegistrationService/RegisterSubscriber", request.ToByteArray());
        Assert.Equal((int)StatusCode.ResourceExhausted, status);
        Assert.Equal("REQUEST_TOO_LARGE", details!.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason);
        await AssertNothingStored(phone);

        // The connection is still good for the next call.
        var ok = await Client.RegisterSubscriberAsync(Requests.Register(phone));
        Assert.Equal(SubscriberStatus.Active, ok.Subscriber.Status);
    }

    [Fact]
    public async Task A_caller_over_its_calls_in_flight_gets_GRID_BUSY_and_nothing_of_the_refused_calls_is_stored()
    {
        await using var gateway = await GatewayServer.StartAsync(grid.Database, grid.Silo.ClusterId, new Dictionary<string, string?>
        {
            ["RateLimits:MaxConcurrentCalls"] = "1",
        });
        var client = new RegistrationService.RegistrationServiceClient(gateway.As(Roles.RetailTerminal));
        var requests = Enumerable.Range(0, 6).Select(_ => Requests.Register(Requests.NewPhoneNumber())).ToList();

        var outcomes = await Task.WhenAll(requests.Select(r => Outcome(client.RegisterSubscriberAsync(r).ResponseAsync)));

        Assert.Contains(outcomes, o => o.Code == StatusCode.OK);
        Assert.Contains(outcomes, o => o is { Code: StatusCode.ResourceExhausted, Reason: "GRID_BUSY" });
        Assert.All(outcomes, o => Assert.True(o.Code is StatusCode.OK || o is { Code: StatusCode.ResourceExhausted, Reason: "GRID_BUSY" }, $"{o.Code} {o.Reason}"));
        foreach (var (request, outcome) in requests.Zip(outcomes).Where(p => p.Second.Code != StatusCode.OK))
        {
            await AssertNothingStored(request.PhoneNumber);
        }
    }

    /// <summary>Found by buf curl against a running grid: an image over the pixel cap was INVALID_ARGUMENT with an empty field path.</summary>
    [Fact]
    public async Task Regression_an_image_over_the_pixel_cap_is_IMAGE_TOO_LARGE_on_its_field()
    {
        using var plain = new Mat(4200, 4200, MatType.CV_8UC3, Scalar.All(128));
        var request = Requests.Register(Requests.NewPhoneNumber());
        request.Customer.PortraitImage = ByteString.CopyFrom(plain.ImEncode(".jpg"));

        var problem = await RpcAssert.Invalid("customer.portrait_image", () => Client.RegisterSubscriberAsync(request));

        Assert.StartsWith("IMAGE_TOO_LARGE", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifty_concurrent_16_megapixel_registrations_each_get_a_clear_status_and_refusals_leave_nothing()
    {
        var portrait = SixteenMegapixelCard();
        var requests = Enumerable.Range(0, 50).Select(_ =>
        {
            var request = Requests.Register(Requests.NewPhoneNumber());
            request.Customer.PortraitImage = portrait;
            return request;
        }).ToList();

        var outcomes = await Task.WhenAll(requests.Select(r => Outcome(Client.RegisterSubscriberAsync(r, deadline: DateTime.UtcNow.AddMinutes(3)).ResponseAsync)));

        // Served, or refused at capacity with a reason: never UNKNOWN, INTERNAL or a dropped call.
        Assert.All(outcomes, o => Assert.True(o.Code is StatusCode.OK || o is { Code: StatusCode.ResourceExhausted, Reason: "GRID_BUSY" }, $"{o.Code} {o.Reason}"));
        Assert.Contains(outcomes, o => o.Code == StatusCode.OK);
        foreach (var (request, outcome) in requests.Zip(outcomes))
        {
            if (outcome.Code == StatusCode.OK)
            {
                Assert.Equal(1L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", request.PhoneNumber)));
            }
            else
            {
                await AssertNothingStored(request.PhoneNumber);
            }
        }
    }

    [Fact]
    public async Task Malformed_protobufs_to_every_method_get_a_clear_status_never_UNKNOWN_or_INTERNAL()
    {
        using var raw = new RawGrpc(grid.Gateway.GrpcAddress, GatewayServer.KeyFor(Roles.RetailTerminal));
        var paths = new[]
        {
            "/realname.v1.RegistrationService/RegisterSubscriber", "/realname.v1.RegistrationService/GetSubscriber",
            "/realname.v1.RegistrationService/ReVerifySubscriber", "/realname.v1.RegistrationService/CancelSubscriber",
            "/realname.v1.SelfServiceService/ListNumbers", "/realname.v1.SelfServiceService/DisputeNumber",
        };
        var valid = Requests.Register(Requests.NewPhoneNumber()).ToByteArray();
        var random = new Random(20261130);
        var corpus = new List<byte[]>
        {
            new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, // a varint that never ends
            new byte[] { 0x0A, 0x7F, 0x31 },             // a length-delimited field longer than the message
            new byte[] { 0x0F },                         // wire type 7 does not exist
            new byte[] { 0x0A, 0x02, 0xC3, 0x28 },       // a string field with invalid UTF-8
            valid[..(valid.Length / 2)],                 // a real request cut in half
        };
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            corpus.Add(bytes);
            var flipped = (byte[])valid.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            corpus.Add(flipped);
        }

        var tried = 0;
        var malformed = 0;
        foreach (var path in paths)
        {
            foreach (var message in corpus)
            {
                var (status, details) = await raw.CallAsync(path, message);
                tried++;
                Assert.True(status is not (2 or 13), $"{path}: status {status} for {Convert.ToHexString(message[..Math.Min(16, message.Length)])}");
                if (status == 3 && details?.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Any(d => d.Unpack<ErrorInfo>().Reason == "MALFORMED_REQUEST") == true)
                {
                    malformed++;
                }
            }
        }

        // Every hand-made malformed message is recognised as such; the rest parse and meet the validators.
        Assert.True(malformed >= paths.Length * 4, $"{malformed} of {tried} answered MALFORMED_REQUEST");
        Console.WriteLine($"malformed protobufs over gRPC: {tried} sent, {malformed} MALFORMED_REQUEST, 0 UNKNOWN/INTERNAL");
        // The gateway is still serving.
        await Assert.ThrowsAsync<RpcException>(() => Client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() }).ResponseAsync);
    }

    [Fact]
    public async Task A_body_that_is_not_exactly_one_message_is_MALFORMED_REQUEST_and_registers_nothing()
    {
        using var raw = new RawGrpc(grid.Gateway.GrpcAddress, GatewayServer.KeyFor(Roles.RetailTerminal));
        var phone = Requests.NewPhoneNumber();
        var message = Requests.Register(phone).ToByteArray();
        var framed = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        var bodies = new (string What, byte[] Body)[]
        {
            ("the prefix declares 16 MB, the body ends after the message", [0x00, 0x00, 0xFF, 0xFF, 0xF0, .. message]),
            ("a whole request, then 2 MB more", [.. framed, .. new byte[2 * 1024 * 1024]]),
            ("the same request twice", [.. framed, .. framed]),
            ("a request cut in half, prefix intact", framed[..(framed.Length / 2)]),
            ("four bytes of a prefix", [0x00, 0x00, 0x00, 0x10]),
            ("no body", []),
            ("marked compressed, with no grpc-encoding", [0x01, .. framed[1..]]),
        };

        foreach (var (what, body) in bodies)
        {
            var (status, details) = await raw.CallWithBodyAsync("/realname.v1.RegistrationService/RegisterSubscriber", body);
            Assert.True(status == (int)StatusCode.InvalidArgument, $"{what}: status {status}");
            Assert.Equal("MALFORMED_REQUEST", details!.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason);
        }

        await AssertNothingStored(phone);
        Assert.Equal(SubscriberStatus.Active, (await Client.RegisterSubscriberAsync(Requests.Register(phone))).Subscriber.Status);
    }

    [Fact]
    public async Task Malformed_images_over_gRPC_get_a_clear_refusal_and_never_register_a_number()
    {
        var photo = Faces.Image(Faces.CardHolder.Portrait).ToByteArray();
        using var small = Cv2.ImDecode(photo, ImreadModes.Color);
        Cv2.ImEncode(".png", small, out var png);
        var random = new Random(20261130);
        byte[] Noise(int n)
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            return bytes;
        }

        var hugePng = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(hugePng.AsSpan(16), 200_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(hugePng.AsSpan(20), 200_000);
        var corpus = new List<(string Name, byte[] Bytes)>
        {
            ("noise", Noise(3000)),
            ("jpeg magic then noise", [0xFF, 0xD8, 0xFF, 0xE0, .. Noise(3000)]),
            ("png magic then noise", [.. png[..8], .. Noise(3000)]),
            ("png claiming 200000x200000", hugePng),
            ("jpeg cut after its header", photo[..600]),
            ("jpeg cut in half", photo[..(photo.Length / 2)]),
            ("png cut in half", png[..(png.Length / 2)]),
            ("gif", [.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0, .. Noise(64)]),
            ("text", "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray()),
            ("a single byte", [0xFF]),
        };
        for (var i = 0; i < 10; i++)
        {
            var flipped = (byte[])photo.Clone();
            for (var j = 0; j < 64; j++)
            {
                flipped[random.Next(2, flipped.Length)] ^= (byte)(1 << random.Next(8));
            }

            corpus.Add(($"jpeg with 64 flipped bits #{i}", flipped));
        }

        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, bytes) in corpus)
        {
            var request = Requests.Register(Requests.NewPhoneNumber());
            request.Customer.PortraitImage = ByteString.CopyFrom(bytes);
            var (code, reason) = await Outcome(Client.RegisterSubscriberAsync(request).ResponseAsync);

            // A broken image may still decode into a picture with a face (flipped bits); anything else is a clear refusal.
            Assert.True(code is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.ResourceExhausted, $"{name}: {code} {reason}");
            if (code != StatusCode.OK)
            {
                Assert.False(string.IsNullOrEmpty(reason), $"{name}: {code} without a reason");
                await RpcAssert.NotFound(() => Client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = request.PhoneNumber }));
            }

            var key = $"{code} {reason}".Trim();
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
        }

        Console.WriteLine($"malformed images over gRPC: {corpus.Count} sent, 0 UNKNOWN/INTERNAL ({string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))})");
    }

    private async Task AssertNothingStored(string phone)
    {
        var read = await Assert.ThrowsAsync<RpcException>(() => Client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);
        Assert.True(read.StatusCode == StatusCode.NotFound, read.Status.ToString());
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", phone)));
    }

    /// <summary>The shared 1920x928 ID-card photo scaled by 2.99 to 5740x2774 (15.9 MP, just under the 16 MP the face engine accepts).</summary>
    private static ByteString SixteenMegapixelCard()
    {
        using var card = Cv2.ImDecode(Faces.Image(Faces.CardHolder.Portrait).ToByteArray(), ImreadModes.Color);
        using var large = new Mat();
        Cv2.Resize(card, large, new Size(5740, 2774), interpolation: InterpolationFlags.Cubic);
        Cv2.ImEncode(".jpg", large, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
        return ByteString.CopyFrom(jpeg);
    }

    private static async Task<(StatusCode Code, string Reason)> Outcome<T>(Task<T> call)
    {
        try
        {
            await call;
            return (StatusCode.OK, "");
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "");
        }
    }
}
