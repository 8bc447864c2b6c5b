using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>
/// A client's deadline reaches the grains and the face engine over real gRPC: work for a request that was given up
/// stops, and it leaves neither an audit row nor state behind.
/// </summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task A_registration_whose_deadline_passes_during_face_work_is_abandoned_and_records_nothing()
    {
        // The real engine, slowed by the test seam: two seconds before each stage, so a comparison takes about ten.
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string> { ["Face:Testing:StageDelay"] = "00:00:02" });
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        // A first registration warms the path up, so the given-up one below reaches the face engine well within its deadline.
        await client.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber()), deadline: DateTime.UtcNow.AddMinutes(2));
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.RegisterSubscriberAsync(request, deadline: DateTime.UtcNow.AddSeconds(3)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);

        // The engine counts (and logs) the work it abandoned because its caller gave up.
        var abandoned = await Eventually.Get(
            () => Task.FromResult(grid.Silo.Output.Contains("Face work abandoned before", StringComparison.Ordinal)),
            found => found,
            TimeSpan.FromSeconds(20),
            "the silo abandoning the face work of the given-up registration").ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        Assert.True(abandoned, "no face work abandoned; the silo said:\n" + grid.Silo.Output[^Math.Min(4000, grid.Silo.Output.Length)..]);
        // Longer than the work would have taken had it gone on: still nothing recorded, nothing stored.
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", phone)));
        var read = await Assert.ThrowsAsync<RpcException>(() => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, read.StatusCode);

        // The same request with time to finish is decided afresh (no half state, no remembered outcome) and recorded once.
        var served = await client.RegisterSubscriberAsync(request, deadline: DateTime.UtcNow.AddMinutes(2));
        Assert.Equal(SubscriberStatus.Active, served.Subscriber.Status);
        Assert.False(served.Replayed);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", phone)));
    }
}
