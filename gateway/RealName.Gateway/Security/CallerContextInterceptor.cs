using System.Security.Claims;
using Grpc.Core.Interceptors;
using RealName.Grains;

namespace RealName.Gateway.Security;

/// <summary>
/// Carries the authenticated caller's name to the grains (Orleans RequestContext) for every gRPC call,
/// so audit events record who acted from the credential, never from the request.
/// </summary>
public sealed class CallerContextInterceptor : Interceptor
{
    // Async methods, so the RequestContext change stays within this call.
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        SetCaller(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        SetCaller(context);
        await continuation(request, responseStream, context);
    }

    private static void SetCaller(ServerCallContext context)
    {
        if (context.GetHttpContext().User.FindFirstValue(ClaimTypes.Name) is { Length: > 0 } name)
        {
            CallerContext.Set(name);
        }
    }
}
