using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>The gateway over a real loopback HTTP/2 socket, against a real silo and PostgreSQL.</summary>
[Collection(GridCollection.Name)]
public sealed class GatewayTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Client => new(grid.Gateway.As(Roles.RetailTerminal));

    [Fact]
    public async Task Register_then_get_returns_the_stored_record_with_masked_identity()
    {
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone, Requests.ResidentId("44030519900307451"));

        var registered = await Client.RegisterSubscriberAsync(request);
        var read = await Client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone });

        Assert.False(registered.Replayed);
        Assert.Equal(SubscriberStatus.Active, read.Subscriber.Status);
        Assert.Equal("440*************" + request.Customer.Document.Number[^2..], read.Subscriber.MaskedDocumentNumber);
        Assert.Equal("王**", read.Subscriber.MaskedName);
        Assert.Equal(request.Channel, read.Subscriber.RegisteredBy);
        Assert.Equal("REGISTERED", Assert.Single(read.Subscriber.History).Event);
    }

    [Fact]
    public async Task Malformed_input_is_INVALID_ARGUMENT_with_a_violation_per_field()
    {
        var request = Requests.Register("2380013800", "310104198001011230");
        request.Channel.OutletId = "";
        request.IdempotencyKey = "short";

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RegisterSubscriberAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        var fields = badRequest.FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Equal(new HashSet<string> { "phone_number", "customer.document.number", "channel.outlet_id", "idempotency_key" }, fields);
        Assert.StartsWith("INVALID_CHECK_DIGIT", badRequest.FieldViolations.Single(v => v.Field == "customer.document.number").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_an_active_number_again_is_FAILED_PRECONDITION_with_a_reason()
    {
        var phone = Requests.NewPhoneNumber();
        await Client.RegisterSubscriberAsync(Requests.Register(phone));

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RegisterSubscriberAsync(Requests.Register(phone, Requests.ResidentId("11010119700101001"))).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("NUMBER_ALREADY_REGISTERED", info.Reason);
        Assert.Equal("realname.v1", info.Domain);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_replays_and_registers_once()
    {
        var request = Requests.Register(Requests.NewPhoneNumber());

        var first = await Client.RegisterSubscriberAsync(request);
        var retry = await Client.RegisterSubscriberAsync(request);

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Subscriber, retry.Subscriber);
    }

    [Fact]
    public async Task Unknown_number_is_NOT_FOUND()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("SUBSCRIBER_NOT_FOUND", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task Expired_documents_and_impossible_birth_dates_are_refused()
    {
        var expired = Requests.Register(Requests.NewPhoneNumber());
        expired.Customer.Document.ValidUntil = "2020-01-01";
        var unborn = Requests.Register(Requests.NewPhoneNumber(), Requests.ResidentId("31010420991301123"));

        var unbornError = await Assert.ThrowsAsync<RpcException>(() => Client.RegisterSubscriberAsync(unborn).ResponseAsync);

        // Well formed but refused by a rule: FAILED_PRECONDITION; malformed (an impossible embedded date): INVALID_ARGUMENT.
        var info = await RpcAssert.Refused("DOCUMENT_EXPIRED", () => Client.RegisterSubscriberAsync(expired));
        Assert.Equal("customer.document.valid_until", info.Metadata["field"]);
        Assert.Equal(StatusCode.InvalidArgument, unbornError.StatusCode);
        Assert.Contains(unbornError.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, v => v.Description.StartsWith("INVALID_BIRTH_DATE", StringComparison.Ordinal));
        Assert.Equal("INVALID_BIRTH_DATE", unbornError.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        // Rule refusals of well-formed requests are registration attempts the auditors count.
        Assert.Equal("DOCUMENT_EXPIRED", await grid.Database.ScalarAsync<string>(
            "SELECT array_to_string(reasons, ',') FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED' AND decision = 'REFUSED'", ("p", expired.PhoneNumber)));
    }

    [Fact]
    public async Task Calls_without_a_key_are_UNAUTHENTICATED_and_other_roles_PERMISSION_DENIED()
    {
        var anonymous = new RegistrationService.RegistrationServiceClient(grid.Gateway.Channel);
        var auditor = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.Auditor));
        var request = Requests.Register(Requests.NewPhoneNumber());

        var noKey = await Assert.ThrowsAsync<RpcException>(() => anonymous.RegisterSubscriberAsync(request).ResponseAsync);
        var wrongRole = await Assert.ThrowsAsync<RpcException>(() => auditor.RegisterSubscriberAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, noKey.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, wrongRole.StatusCode);
        var notRegistered = await Assert.ThrowsAsync<RpcException>(() => Client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = request.PhoneNumber }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notRegistered.StatusCode);
    }

    [Fact]
    public async Task Health_reports_SERVING_when_a_silo_is_up()
    {
        var health = new Health.HealthClient(grid.Gateway.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_public_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(grid.Gateway.Channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("realname.v1.RegistrationService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task A_reflection_stream_left_open_does_not_take_down_the_calls_beside_it_on_its_connection()
    {
        // buf curl keeps its reflection stream open while it makes the call. Kestrel faults the whole HTTP/2
        // connection when a stream's body is being read and stays idle past its minimum data rate's 5 s grace.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(grid.Gateway.GrpcAddress);
        var reflection = new ServerReflection.ServerReflectionClient(channel);
        using var stream = reflection.ServerReflectionInfo();
        await stream.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));

        await Task.Delay(TimeSpan.FromSeconds(8));

        var client = new RegistrationService.RegistrationServiceClient(GatewayServer.WithKey(channel, GatewayServer.KeyFor(Roles.RetailTerminal)));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        await stream.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "realname.v1.RegistrationService" });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
        Assert.NotEmpty(stream.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto);
        await stream.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task No_plain_document_number_reaches_the_database()
    {
        var number = Requests.ResidentId("51010719851212341");
        await Client.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), number));

        var hits = await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleansstorage WHERE position(convert_to(@n, 'UTF8') in payloadbinary) > 0", ("n", number));

        Assert.Equal(0L, hits);
    }
}
