using Grpc.Core;
using Grpc.Health.V1;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>Each caller has its own request budget; over it, RESOURCE_EXHAUSTED, and other callers are unaffected.</summary>
[Collection(GridCollection.Name)]
public sealed class RateLimitTests(GridFixture grid)
{
    [Fact]
    public async Task A_caller_over_its_budget_gets_RESOURCE_EXHAUSTED_while_others_and_health_checks_go_on()
    {
        await using var gateway = await GatewayServer.StartAsync(grid.Database, grid.Silo.ClusterId, new Dictionary<string, string?>
        {
            ["RateLimits:PermitsPerSecond"] = "1",
            ["RateLimits:Burst"] = "2",
        });
        var terminal = new RegistrationService.RegistrationServiceClient(gateway.As(Roles.RetailTerminal));
        var risk = new RiskService.RiskServiceClient(gateway.As(Roles.RiskOperator));
        var request = new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() };

        // Six calls at once against a burst of two: some are served, the rest are refused with the reason.
        var codes = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            try
            {
                await terminal.GetSubscriberAsync(request);
                return (Code: StatusCode.OK, Reason: (string?)null);
            }
            catch (RpcException e)
            {
                return (Code: e.StatusCode, Reason: e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
            }
        }));

        Assert.Contains(codes, c => c.Code == StatusCode.NotFound);
        Assert.Contains((StatusCode.ResourceExhausted, "RATE_LIMITED"), codes);
        Assert.All(codes, c => Assert.True(c.Code is StatusCode.NotFound || c is (StatusCode.ResourceExhausted, "RATE_LIMITED"), $"{c.Code} {c.Reason}"));
        var other = await risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = Requests.NewPhoneNumber(), Trigger = ReReviewTrigger.Manual });
        Assert.Equal(ReReviewTriggerOutcome.NotActive, other.Outcome);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(gateway.Channel).CheckAsync(new HealthCheckRequest())).Status);
        }
    }
}
