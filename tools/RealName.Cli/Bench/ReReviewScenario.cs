using Grpc.Core;
using RealName.Contracts.V1;

namespace RealName.Cli.Bench;

/// <summary>
/// Re-review answers: each terminal holds one number of a fixed identity (registered once per database with an LFW
/// person's portrait and reused by later runs); before each answer a risk operator starts a re-review (not timed),
/// then the timed call answers it with a new photo of the holder.
/// </summary>
internal sealed class ReReviewScenario(BenchClients clients, int run) : BenchScenario
{
    private (string Number, FacePair Holder)[] slots = [];

    public override string Name => "rereview";

    public override async Task SetUpAsync(int workers, CancellationToken ct)
    {
        var holders = BenchPhotos.Load().Holders;
        var active = new List<(string, FacePair)>();
        // Slots whose holder is not ACTIVE (a face sent to a reviewer, a failed answer) are skipped, in every run.
        for (var slot = 0; active.Count < workers && slot < holders.Count; slot++)
        {
            var number = BenchRequests.ReReviewNumber(slot);
            if (await StatusAsync(number, ct) is not { } status)
            {
                status = (await clients.Terminal.RegisterSubscriberAsync(BenchRequests.ReReviewHolder(slot, holders[slot]), cancellationToken: ct)).Subscriber.Status;
            }

            if (status is SubscriberStatus.Active or SubscriberStatus.ReReviewRequired)
            {
                active.Add((number, holders[slot]));
            }
        }

        if (active.Count == 0)
        {
            throw new InvalidOperationException("no re-review holder could be registered ACTIVE");
        }

        slots = [.. active];
    }

    public override async Task PrepareAsync(int worker, int index, CancellationToken ct) =>
        await clients.Risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = slots[worker % slots.Length].Number, Trigger = ReReviewTrigger.Manual }, cancellationToken: ct);

    public override async Task<string> SendAsync(int worker, int index, CancellationToken ct)
    {
        var (number, holder) = slots[worker % slots.Length];
        var response = await clients.Terminal.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = number,
            LiveImage = holder.Live,
            Channel = BenchRequests.Retail(index),
            RequestId = $"bench-rr-{run}-{index:D7}-{Guid.NewGuid():N}",
        }, cancellationToken: ct);
        return Outcome(response.Subscriber);
    }

    private async Task<SubscriberStatus?> StatusAsync(string number, CancellationToken ct)
    {
        try
        {
            return (await clients.Terminal.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = number }, cancellationToken: ct)).Subscriber.Status;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
