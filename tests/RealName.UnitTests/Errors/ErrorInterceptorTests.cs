using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RealName.Gateway.Errors;
using RealName.Grains;

namespace RealName.UnitTests.Errors;

/// <summary>Failures that escape a service become structured, retryable statuses; never INTERNAL for storage.</summary>
public sealed class ErrorInterceptorTests
{
    public static TheoryData<Exception, StatusCode, string> Failures => new()
    {
        { new StorageUnavailableException(), StatusCode.Unavailable, "STORAGE_UNAVAILABLE" },
        { new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)), StatusCode.Unavailable, "STORAGE_UNAVAILABLE" },
        // PostgreSQL shutting down (57P01), as Npgsql surfaces it.
        { new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), StatusCode.Unavailable, "STORAGE_UNAVAILABLE" },
        { new RequestConflictException(), StatusCode.FailedPrecondition, "REQUEST_CONFLICT" },
        { new Orleans.Runtime.SiloUnavailableException(), StatusCode.Unavailable, "CLUSTER_UNAVAILABLE" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failure_escaping_a_service_gets_its_status_and_reason(Exception failure, StatusCode code, string reason)
    {
        var interceptor = new ErrorInterceptor(NullLogger<ErrorInterceptor>.Instance);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            interceptor.UnaryServerHandler<string, string>("request", new CallContext(), (_, _) => throw failure));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(reason, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task Work_abandoned_because_the_caller_gave_up_is_CANCELLED_not_INTERNAL()
    {
        var interceptor = new ErrorInterceptor(NullLogger<ErrorInterceptor>.Instance);
        using var gaveUp = new CancellationTokenSource();
        await gaveUp.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            interceptor.UnaryServerHandler<string, string>("request", new CallContext(gaveUp.Token), (_, _) => throw new OperationCanceledException(gaveUp.Token)));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal("CALLER_GAVE_UP", error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    /// <summary>The gRPC server's per-call context, which only the framework creates; the interceptor reads its method name and token.</summary>
    private sealed class CallContext(CancellationToken cancellation = default) : ServerCallContext
    {
        protected override string MethodCore => "/realname.v1.RegistrationService/RegisterSubscriber";

        protected override string HostCore => "127.0.0.1";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => cancellation;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, new Dictionary<string, List<AuthProperty>>());

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
