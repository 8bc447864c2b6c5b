using System.Globalization;
using RealName.Storage;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// A deterministic, realistic-looking half year (July to December 2024, UTC+8) at 14 outlets for the
/// report page and its screenshot: most outlets near 95%, one clearly worse, refusals, re-reviews and
/// fraud reports. Counts are returned so the browser test can assert a figure.
/// </summary>
public static class Showcase
{
    public static readonly DateTimeOffset From = new(2024, 7, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public static readonly DateTimeOffset To = new(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public const string BadOutlet = "SH-PD-013";

    public static int Registrations { get; private set; }

    public static async Task SeedAsync(AuditLog log)
    {
        var random = new Random(42);
        var events = new List<AuditEvent>();
        string[] outlets = ["BJ-CY-001", "BJ-HD-002", "SH-HP-003", "SH-XH-004", "GZ-TH-005", "SZ-NS-006", "HZ-XH-007", "CD-WH-008", "WH-WC-009", "XA-YT-010", "NJ-GL-011", "ONLINE-APP-012", BadOutlet, "CQ-YZ-014"];
        string[] reasons = ["FACE_MISMATCH", "NO_FACE", "TOO_BLURRY", "IDENTITY_LIMIT_EXCEEDED", "DOCUMENT_EXPIRED"];
        var phone = 19_800_000_000L;
        for (var day = 0; day < 184; day += 2)
        {
            var at = From.AddDays(day).AddHours(9);
            for (var o = 0; o < outlets.Length; o++)
            {
                var outlet = outlets[o];
                var quality = outlet == BadOutlet ? 0.74 : 0.95 + ((o % 5) * 0.008);
                for (var k = 0; k < 2; k++)
                {
                    var number = (phone++).ToString(CultureInfo.InvariantCulture);
                    var e = new AuditEvent
                    {
                        EventId = Guid.NewGuid(),
                        OccurredAt = at.AddMinutes((o * 7) + (k * 3)),
                        EventType = AuditEventTypes.RegistrationDecided,
                        PhoneNumber = number,
                        IdentityKey = "ik-" + number,
                        CarrierId = o % 4 == 3 ? "mvno-x" : "cmcc",
                        ChannelKind = outlet.StartsWith("ONLINE", StringComparison.Ordinal) ? "ONLINE" : "RETAIL",
                        Region = outlet[..2] switch { "BJ" => "110000", "SH" => "310000", "GZ" => "440100", "SZ" => "440300", _ => "510100" },
                        OutletId = outlet,
                        ClerkId = outlet + "-c" + (k + 1).ToString(CultureInfo.InvariantCulture),
                        DeviceId = outlet + "-d1",
                        CardType = "PERSONAL",
                        ModelVersion = "showcase-1",
                        Actor = outlet + "-c1",
                        Caller = "showcase",
                    };
                    var roll = random.NextDouble();
                    if (roll < 0.03)
                    {
                        e = e with { Decision = "REFUSED", FaceCompared = false, FaceDecision = "REJECTED", Reasons = [reasons[1 + random.Next(2)]] };
                    }
                    else if (random.NextDouble() > quality)
                    {
                        e = random.NextDouble() < 0.5
                            ? e with { Decision = "REFUSED", FaceCompared = true, FaceDecision = "NO_MATCH", FaceScore = 0.25, Reasons = ["FACE_MISMATCH"] }
                            : e with { Decision = "PENDING_REVIEW", FaceCompared = true, FaceDecision = "REVIEW", FaceScore = 0.5, StatusAfter = "PENDING_REVIEW" };
                        if (e.Decision == "PENDING_REVIEW")
                        {
                            var approve = random.NextDouble() < 0.7;
                            events.Add(e);
                            events.Add(e with
                            {
                                EventId = Guid.NewGuid(), EventType = "REVIEW_DECIDED", OccurredAt = e.OccurredAt.AddHours(3), Decision = approve ? "APPROVED" : "REJECTED",
                                FaceCompared = false, FaceDecision = null, FaceScore = null, StatusAfter = approve ? "ACTIVE" : "REJECTED", Actor = "reviewer-1",
                                Details = "{\"case_kind\":\"REGISTRATION\"}",
                            });
                            Registrations++;
                            continue;
                        }
                    }
                    else
                    {
                        e = e with { Decision = "APPROVED", FaceCompared = true, FaceDecision = "MATCH", FaceScore = 0.85, StatusAfter = "ACTIVE" };
                        if (random.NextDouble() < 0.02)
                        {
                            e = e with { Reasons = [] };
                            events.Add(e);
                            events.Add(e with { EventId = Guid.NewGuid(), EventType = "FRAUD_REPORTED", OccurredAt = e.OccurredAt.AddDays(1), Decision = null, FaceCompared = false, FaceDecision = null, FaceScore = null, StatusAfter = null, Actor = "risk-1" });
                            events.Add(e with { EventId = Guid.NewGuid(), EventType = "RE_REVIEW_TRIGGERED", OccurredAt = e.OccurredAt.AddDays(1), Decision = null, FaceCompared = false, FaceDecision = null, FaceScore = null, Reasons = ["FRAUD_REPORT"], StatusAfter = "RE_REVIEW_REQUIRED", Actor = "risk-1" });
                            var overdue = random.NextDouble() < 0.5;
                            events.Add(e with
                            {
                                EventId = Guid.NewGuid(), EventType = overdue ? "SUSPENDED" : "RE_REVIEW_DECIDED", OccurredAt = e.OccurredAt.AddDays(2),
                                Decision = overdue ? null : "PASSED", FaceCompared = !overdue, FaceDecision = overdue ? null : "MATCH", FaceScore = overdue ? null : 0.8,
                                Reasons = overdue ? ["RE_REVIEW_OVERDUE"] : [], StatusAfter = overdue ? "SUSPENDED" : "ACTIVE", Actor = overdue ? "system" : "holder",
                            });
                            if (overdue && random.NextDouble() < 0.5)
                            {
                                events.Add(e with
                                {
                                    EventId = Guid.NewGuid(), EventType = "RESTORED", OccurredAt = e.OccurredAt.AddDays(4), Decision = null, FaceCompared = false,
                                    FaceDecision = null, FaceScore = null, Reasons = ["RE_REVIEW_PASSED"], StatusAfter = "ACTIVE", Actor = "system",
                                });
                            }

                            Registrations++;
                            continue;
                        }
                    }

                    events.Add(e);
                    Registrations++;
                }
            }
        }

        await log.AppendBatchAsync(events);
    }
}
