using System.Text.Json;
using RealName.Grains.Subscribers;
using RealName.Storage.Callers;

namespace RealName.Grains.Callers;

/// <summary>
/// Writes one caller's row and records each change in the audit log before it is acknowledged. The
/// event ids derive from the change (name, and thumbprint), so a retried call writes its event once.
/// </summary>
[GrainType("caller")]
public sealed class CallerGrain(CallerStore store, AuditLog audit, TimeProvider clock) : Grain, ICallerGrain
{
    private string Name => this.GetPrimaryKeyString();

    public async Task<Refusal?> Issue(CallerDefinition definition, byte[] keyHash)
    {
        definition = definition.Normalized();
        var problems = definition.Problems();
        if (definition.Name != Name || keyHash.Length != 32 || problems.Count > 0)
        {
            return new Refusal(ReasonCode.InvalidCaller.Wire(), string.Join("; ", problems.Select(p => $"{p.Field}: {p.Problem}").DefaultIfEmpty("name or key hash")));
        }

        var now = clock.GetUtcNow();
        var row = new CallerRow(definition.Name, definition.Role, definition.CarrierIds, definition.OutletIds, definition.ChannelKind,
            definition.DeviceIds, now, CallerContext.Current, null, null, []);
        if (await store.InsertAsync(row, keyHash) == CallerWrite.NameTaken)
        {
            return new Refusal(ReasonCode.CallerNameTaken.Wire(), "A caller with this name exists (names of revoked callers are not reused).");
        }

        await Record(AuditEventTypes.CallerIssued, now, [definition.Role], new
        {
            name = definition.Name,
            role = definition.Role,
            carrier_ids = definition.CarrierIds,
            outlet_ids = definition.OutletIds,
            channel_kind = definition.ChannelKind,
            device_ids = definition.DeviceIds,
        });
        return null;
    }

    public async Task<Refusal?> Revoke()
    {
        var now = clock.GetUtcNow();
        var written = await store.RevokeAsync(Name, now, CallerContext.Current);
        if (written == CallerWrite.NotFound)
        {
            return NotFound();
        }

        // A repeat after a crash between the update and the event still writes the event (same id).
        await Record(AuditEventTypes.CallerRevoked, now, [], new { name = Name });
        return null;
    }

    public async Task<Refusal?> AttachCertificate(string thumbprint)
    {
        var now = clock.GetUtcNow();
        switch (await store.AttachCertificateAsync(Name, thumbprint, now, CallerContext.Current))
        {
            case CallerWrite.NotFound:
                return NotFound();
            case CallerWrite.AlreadyRevoked:
                return new Refusal(ReasonCode.CallerAlreadyRevoked.Wire(), "The caller is revoked.");
            case CallerWrite.ThumbprintTaken:
                return new Refusal(ReasonCode.CertificateTaken.Wire(), "This certificate is mapped to another caller.");
            default:
                await Record(AuditEventTypes.CallerCertificateAttached, now, [], new { name = Name, thumbprint }, thumbprint);
                return null;
        }
    }

    private static Refusal NotFound() => new(ReasonCode.CallerNotFound.Wire(), "No caller has this name.");

    private Task<bool> Record(string eventType, DateTimeOffset at, IReadOnlyList<string> reasons, object details, string? discriminator = null) =>
        audit.AppendAsync(new AuditEvent
        {
            EventId = DeterministicIds.From(eventType, Name, discriminator ?? ""),
            OccurredAt = at,
            EventType = eventType,
            Reasons = reasons,
            Actor = CallerContext.Current,
            Caller = CallerContext.Current,
            Details = JsonSerializer.Serialize(details),
        });
}
