using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RealName.Gateway.Errors;

namespace RealName.UnitTests.Errors;

/// <summary>
/// What fails in middleware, before a gRPC handler runs, is answered with a status and a reason, never HTTP 500
/// (which gRPC clients report as UNKNOWN): the outermost guard of the gateway's pipeline.
/// </summary>
public sealed class MiddlewareFaultGuardTests
{
    public static TheoryData<Exception, int, string> Failures => new()
    {
        { new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)), 14, "STORAGE_UNAVAILABLE" },
        { new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), 8, "REQUEST_TOO_LARGE" },
        { new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest), 14, "REQUEST_BODY_UNREADABLE" },
        { new InvalidOperationException("a defect in a middleware"), 14, "GATEWAY_FAULT" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failure_before_the_handler_is_a_trailers_only_gRPC_answer_with_its_reason(Exception failure, int code, string reason)
    {
        var context = GrpcRequest();
        var guard = new MiddlewareFaultGuard(_ => throw failure, NullLogger<MiddlewareFaultGuard>.Instance);

        await guard.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Response.Headers["grpc-status"].ToString());
        Assert.Equal(reason, TrailersOnlyAnswer.Reason(context));
        Assert.DoesNotContain("defect", Uri.UnescapeDataString(context.Response.Headers["grpc-message"].ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_web_request_and_a_request_whose_client_left_keep_ASP_NET_Cores_own_handling()
    {
        var guard = new MiddlewareFaultGuard(_ => throw new InvalidOperationException("boom"), NullLogger<MiddlewareFaultGuard>.Instance);
        var web = new DefaultHttpContext();
        web.Request.ContentType = "text/html";
        using var left = new CancellationTokenSource();
        var gone = GrpcRequest();
        gone.RequestAborted = left.Token;
        await left.CancelAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => guard.InvokeAsync(web));
        await Assert.ThrowsAsync<InvalidOperationException>(() => guard.InvokeAsync(gone));
    }

    [Fact]
    public async Task A_request_that_succeeds_passes_through_untouched()
    {
        var context = GrpcRequest();
        var guard = new MiddlewareFaultGuard(c =>
        {
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }, NullLogger<MiddlewareFaultGuard>.Instance);

        await guard.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status204NoContent, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("grpc-status"));
    }

    private static DefaultHttpContext GrpcRequest()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/grpc";
        context.Request.Path = "/realname.v1.RegistrationService/RegisterSubscriber";
        return context;
    }
}
