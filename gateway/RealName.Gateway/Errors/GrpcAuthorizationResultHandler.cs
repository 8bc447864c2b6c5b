using Microsoft.AspNetCore.Authorization.Policy;

namespace RealName.Gateway.Errors;

/// <summary>
/// A gRPC call refused by authorization gets a trailers-only response whose google.rpc.Status carries an
/// ErrorInfo reason (CREDENTIAL_REQUIRED, CREDENTIAL_REJECTED, ROLE_NOT_ALLOWED), like every other error;
/// web requests keep the usual 401 / 403, except that the operations view sends a browser without a credential to its sign-in form.
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Succeeded && !TrailersOnlyResponse.IsGrpc(context.Request) && Hosting.Operations.RedirectsToSignIn(context))
        {
            context.Response.Redirect(Hosting.Operations.LoginPath);
            return Task.CompletedTask;
        }

        if (authorizeResult.Succeeded || !TrailersOnlyResponse.IsGrpc(context.Request))
        {
            return fallback.HandleAsync(next, context, policy, authorizeResult);
        }

        var presented = ApiKeyAuthenticationHandler.Presented(context.Request) is not null || context.Connection.ClientCertificate is not null;
        return TrailersOnlyResponse.WriteAsync(context.Response, GrpcErrors.Authorization(context.User.Identity?.IsAuthenticated == true, presented));
    }
}
