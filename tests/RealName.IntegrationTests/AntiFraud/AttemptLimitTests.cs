using Google.Rpc;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Callers;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.AntiFraud;

/// <summary>
/// Registration attempts are counted per identity and per device across all outlets and channels, in grain state
/// stored in PostgreSQL: past the rate the request is RESOURCE_EXHAUSTED / TOO_MANY_ATTEMPTS with a risk event in the
/// audit log, nothing is reserved, and the count survives a kill -9 of the silo.
/// </summary>
public sealed class AttemptLimitTests
{
    [Fact]
    public async Task The_sixteenth_attempt_of_an_identity_in_a_minute_is_TOO_MANY_ATTEMPTS_and_still_is_after_a_silo_restart()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>
        {
            // The default 15 a minute; a day's limit of 15 too, so a restart slower than a minute still finds the count.
            ["AttemptLimits:PerIdentityPerMinute"] = "15",
            ["AttemptLimits:PerIdentityPerDay"] = "15",
            ["AttemptLimits:PerDevicePerMinute"] = "3",
            ["AttemptLimits:PerDevicePerDay"] = "0",
        });
        var terminal = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var online = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.OnlineSales));
        var taken = Requests.NewPhoneNumber();
        await terminal.RegisterSubscriberAsync(WithDevice(Requests.Register(taken), "reader-setup"));
        var person = Requests.NewResidentId();

        // Fifteen attempts from different outlets, devices and both channels, each refused quickly (the number is taken).
        for (var i = 0; i < 15; i++)
        {
            var attempt = WithDevice(Requests.Register(taken, person, outlet: $"SH-{i % 5:D3}"), $"reader-{i}");
            var client = terminal;
            if (i % 3 == 0)
            {
                attempt.Channel.Kind = ChannelKind.Online;
                attempt.Liveness = LivenessSdk.Attest(taken);
                client = online;
            }

            await RpcAssert.Refused("NUMBER_ALREADY_REGISTERED", () => client.RegisterSubscriberAsync(attempt));
        }

        var sixteenth = WithDevice(Requests.Register(Requests.NewPhoneNumber(), person, outlet: "SH-999"), "reader-16");
        var info = await Exhausted(() => terminal.RegisterSubscriberAsync(sixteenth));
        Assert.Equal(("identity", "minute", "15"), (info.Metadata["counter"], info.Metadata["window"], info.Metadata["limit"]));
        await RpcAssert.NotFound(() => terminal.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = sixteenth.PhoneNumber }));
        Assert.Equal($"REFUSED|TOO_MANY_ATTEMPTS|{GatewayServer.NameFor(Roles.RetailTerminal)}|SH-999", await grid.Database.ScalarAsync<string>(
            "SELECT decision || '|' || array_to_string(reasons, ',') || '|' || caller || '|' || outlet_id FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_ATTEMPTS_LIMITED'",
            ("p", sixteenth.PhoneNumber)));
        // A retry of the refused request is refused again without a second risk event.
        await Exhausted(() => terminal.RegisterSubscriberAsync(sixteenth));
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_ATTEMPTS_LIMITED'", ("p", sixteenth.PhoneNumber)));

        await grid.Silo.KillAsync();
        await grid.Silo.StartAsync();

        // Right after the restart the grid may still answer UNAVAILABLE ("retry with the same idempotency key"): the
        // terminal retries the same request until it is answered, as the contract says.
        Task<(StatusCode Status, string Reason)> AnsweredAfterRestart(RegisterSubscriberRequest request, string what) => Eventually.Get(
            () => TestCallers.Outcome(() => terminal.RegisterSubscriberAsync(request).ResponseAsync),
            outcome => outcome.Status != StatusCode.Unavailable,
            TimeSpan.FromSeconds(60),
            what);

        var again = await AnsweredAfterRestart(WithDevice(Requests.Register(Requests.NewPhoneNumber(), person), "reader-17"), "an answer after the restart");
        Assert.Equal((StatusCode.ResourceExhausted, "TOO_MANY_ATTEMPTS"), again);
        // Another identity is not affected.
        var other = WithDevice(Requests.Register(Requests.NewPhoneNumber()), "reader-18");
        Assert.Equal((StatusCode.OK, ""), await AnsweredAfterRestart(other, "the other identity's registration answered after the restart"));
        Assert.Equal(SubscriberStatus.Active, (await terminal.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = other.PhoneNumber })).Subscriber.Status);
    }

    [Fact]
    public async Task A_device_past_its_rate_is_refused_whoever_the_customer_is()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>
        {
            ["AttemptLimits:PerDevicePerMinute"] = "3",
            ["AttemptLimits:PerDevicePerDay"] = "0",
        });
        var terminal = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var taken = Requests.NewPhoneNumber();
        await terminal.RegisterSubscriberAsync(WithDevice(Requests.Register(taken), "farm-1"));
        for (var i = 0; i < 2; i++)
        {
            await RpcAssert.Refused("NUMBER_ALREADY_REGISTERED", () => terminal.RegisterSubscriberAsync(WithDevice(Requests.Register(taken, outlet: $"SH-{i:D3}"), "farm-1")));
        }

        var info = await Exhausted(() => terminal.RegisterSubscriberAsync(WithDevice(Requests.Register(Requests.NewPhoneNumber()), "farm-1")));
        Assert.Equal(("device", "minute", "3"), (info.Metadata["counter"], info.Metadata["window"], info.Metadata["limit"]));
        // The same device id at another carrier is another device.
        var otherCarrier = WithDevice(Requests.Register(Requests.NewPhoneNumber(), carrier: "mvno-x"), "farm-1");
        Assert.Equal(SubscriberStatus.Active, (await terminal.RegisterSubscriberAsync(otherCarrier)).Subscriber.Status);
    }

    private static RegisterSubscriberRequest WithDevice(RegisterSubscriberRequest request, string device)
    {
        request.Channel.DeviceId = device;
        return request;
    }

    private static async Task<ErrorInfo> Exhausted<T>(Func<AsyncUnaryCall<T>> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call().ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.NotNull(status.GetDetail<RetryInfo>()?.RetryDelay);
        var info = status.GetDetail<ErrorInfo>()!;
        Assert.Equal("TOO_MANY_ATTEMPTS", info.Reason);
        return info;
    }
}
