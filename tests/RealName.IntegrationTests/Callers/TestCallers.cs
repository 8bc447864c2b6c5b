using Grpc.Core;
using Google.Rpc;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Callers;

/// <summary>Issues callers through AdminService with the test administrator, each with a unique name.</summary>
internal static class TestCallers
{
    public static AdminService.AdminServiceClient Admin(GatewayServer gateway) => new(gateway.As(Roles.Admin));

    /// <summary>Issues a caller (name prefix + a unique suffix) and returns its response (name, key once).</summary>
    public static async Task<IssueCallerResponse> IssueAsync(GatewayServer gateway, string prefix, CallerRole role, string[]? carriers = null, string[]? outlets = null, string[]? devices = null)
    {
        var scope = new CallerScope();
        scope.CarrierIds.AddRange(carriers ?? []);
        scope.OutletIds.AddRange(outlets ?? []);
        scope.DeviceIds.AddRange(devices ?? []);
        return await Admin(gateway).IssueCallerAsync(new IssueCallerRequest
        {
            Name = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}",
            Role = role,
            Scope = scope,
        });
    }

    public static ChannelContext Channel(ChannelKind kind, string carrier, string outlet, string device = "reader-1", string clerk = "clerk-1") => new()
    {
        Kind = kind,
        CarrierId = carrier,
        Region = "310000",
        OutletId = outlet,
        ClerkId = clerk,
        DeviceId = device,
    };

    /// <summary>The status and ErrorInfo reason of a failed call, or (OK, "") when it succeeded.</summary>
    public static async Task<(StatusCode Status, string Reason)> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return (StatusCode.OK, "");
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "");
        }
    }

    /// <summary>Repeats a call (every 100 ms, at most 10 s) until it is UNAUTHENTICATED; its last outcome and how long that took.</summary>
    public static async Task<((StatusCode Status, string Reason) Outcome, TimeSpan Elapsed)> UntilRefused(Func<Task> call)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await Outcome(call);
        while (outcome.Status != StatusCode.Unauthenticated && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            outcome = await Outcome(call);
        }

        return (outcome, clock.Elapsed);
    }

    /// <summary>The call fails with this status and ErrorInfo reason.</summary>
    public static async Task Denied(StatusCode status, string reason, Func<Task> call)
    {
        var outcome = await Outcome(call);
        Assert.Equal((status, reason), outcome);
    }
}
