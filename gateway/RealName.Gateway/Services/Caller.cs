using System.Security.Claims;
using RealName.Rules;

namespace RealName.Gateway.Services;

internal static class Caller
{
    /// <summary>The authenticated caller's name, recorded as the actor.</summary>
    public static string Name(ServerCallContext context) =>
        context.GetHttpContext().User.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("an authenticated caller is required");

    /// <summary>
    /// The actor of a decision: always the authenticated caller. A deprecated request field that names
    /// someone else is refused (PERMISSION_DENIED with <paramref name="reason"/>), never believed.
    /// </summary>
    public static string Acting(ServerCallContext context, string? claimedInRequest, ReasonCode reason)
    {
        var name = Name(context);
        if (!string.IsNullOrWhiteSpace(claimedInRequest) && claimedInRequest.Trim() != name)
        {
            throw GrpcErrors.Error(reason, "The actor is the authenticated caller; the request names someone else.");
        }

        return name;
    }
}
