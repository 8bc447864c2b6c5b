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
        var terminal = new RegistrationService.RegistrationServiceClient(gateway.As("channel"));
        var risk = new RiskService.RiskServiceClient(gateway.As("risk"));
        var request = new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() };

        var codes = new List<(StatusCode Code, string? Reason)>();
        for (var i = 0; i < 4; i++)
        {
            try
            {
                await terminal.GetSubscriberAsync(request);
                codes.Add((StatusCode.OK, null));
            }
            catch (RpcException e)
            {
                codes.Add((e.StatusCode, e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason));
            }
        }

        Assert.Equal([StatusCode.NotFound, StatusCode.NotFound], codes.Take(2).Select(c => c.Code));
        Assert.Contains((StatusCode.ResourceExhausted, "RATE_LIMITED"), codes.Skip(2));
        var other = await risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = Requests.NewPhoneNumber(), Trigger = ReReviewTrigger.Manual });
        Assert.Equal(ReReviewTriggerOutcome.NotActive, other.Outcome);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(gateway.Channel).CheckAsync(new HealthCheckRequest())).Status);
        }
    }
}
