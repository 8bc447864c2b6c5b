using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RealName.Grains.Subscribers;

/// <summary>
/// One phone number: its owner, the channel that opened it, its status and history. The periodic
/// re-review runs on a durable reminder, so it survives silo restarts.
/// </summary>
public sealed partial class SubscriberGrain(
    [PersistentState("subscriber", GrainStorage.Name)] IPersistentState<SubscriberState> state,
    TimeProvider clock,
    IOptions<ReReviewOptions> reReview,
    ILogger<SubscriberGrain> logger) : Grain, ISubscriberGrain, IRemindable
{
    internal const string PeriodicReReviewReminder = "periodic-re-review";

    private string PhoneNumber => this.GetPrimaryKeyString();

    public async Task<RegistrationOutcome> Register(SubscriberRegistration registration)
    {
        var current = state.State;
        if (current.Record is not null)
        {
            if (current.RegistrationIdempotencyKey == registration.IdempotencyKey)
            {
                return new RegistrationOutcome(current.Record, null, Replayed: true);
            }

            if (current.Record.Status is not (SubscriberStatus.Cancelled or SubscriberStatus.Rejected))
            {
                return Refuse(RefusalCodes.NumberAlreadyRegistered, "The number is already registered.");
            }
        }

        var now = clock.GetUtcNow();
        var record = new SubscriberRecord(
            PhoneNumber,
            SubscriberStatus.Active,
            registration.Owner,
            registration.Channel,
            now,
            [new HistoryEntry(now, "REGISTERED", SubscriberStatus.Active, [], registration.Channel.ClerkId)]);

        state.State = new SubscriberState { Record = record, RegistrationIdempotencyKey = registration.IdempotencyKey };
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(PeriodicReReviewReminder, reReview.Value.PeriodicInterval, reReview.Value.PeriodicInterval);
        LogRegistered(logger, PhoneNumber, registration.Channel.OutletId);
        return new RegistrationOutcome(record, null, Replayed: false);
    }

    public Task<SubscriberRecord?> GetRecord() => Task.FromResult(state.State.Record);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != PeriodicReReviewReminder || state.State.Record is not { } record)
        {
            return;
        }

        if (record.Status != SubscriberStatus.Active)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var updated = record with
        {
            Status = SubscriberStatus.ReReviewRequired,
            History = record.History.Add(new HistoryEntry(now, "RE_REVIEW_REQUIRED", SubscriberStatus.ReReviewRequired, ["PERIODIC"], "system")),
        };
        state.State = state.State with { Record = updated };
        await state.WriteStateAsync();
    }

    private static RegistrationOutcome Refuse(string code, string message) => new(null, new Refusal(code, message), Replayed: false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {PhoneNumber} at outlet {OutletId}")]
    private static partial void LogRegistered(ILogger logger, string phoneNumber, string outletId);
}
