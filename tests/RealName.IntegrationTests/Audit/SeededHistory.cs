using RealName.Storage;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// A small, known history in March and April 2025 (UTC+8) at two outlets, with edge cases: an event at
/// 00:30 on 1 March UTC+8 (still February in UTC), one at 23:59 on 30 April, one just outside each end,
/// refusals with several reasons, and fraud reported twice for one number. The report tests assert every
/// figure computed from it (see the comments at each event).
/// </summary>
public sealed class SeededHistory
{
    public static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    public static readonly DateTimeOffset From = new(2025, 3, 1, 0, 0, 0, Cst);
    public static readonly DateTimeOffset To = new(2025, 5, 1, 0, 0, 0, Cst);

    public const string Outlet1 = "AUD-O1";
    public const string Outlet2 = "AUD-O2";

    private readonly List<AuditEvent> events = [];

    public string P1 { get; } = "19900000001";
    public string P2 { get; } = "19900000002";
    public string P3 { get; } = "19900000003";
    public string P4 { get; } = "19900000004";
    public string P5 { get; } = "19900000005";
    public string P6 { get; } = "19900000006";
    public string P7 { get; } = "19900000007";
    public string P8 { get; } = "19900000008";
    public string P9 { get; } = "19900000009";
    public string P10 { get; } = "19900000010";
    public string Outside1 { get; } = "19900000011";
    public string Outside2 { get; } = "19900000012";

    public IReadOnlyList<AuditEvent> Events => events;

    public static async Task<SeededHistory> SeedAsync(AuditLog log)
    {
        var h = new SeededHistory();
        h.Build();
        await log.AppendBatchAsync(h.events);

        return h;
    }

    public static DateTimeOffset At(int month, int day, int hour = 10, int minute = 0) => new(2025, month, day, hour, minute, 0, Cst);

    private void Build()
    {
        // Outlet 1: retail, cmcc, Shanghai, personal cards, clerk C1.
        Reg(P1, Outlet1, At(3, 1, 0, 30), "APPROVED", "MATCH", 0.91, compared: true);          // 1 March 00:30 UTC+8 = 28 Feb UTC
        Reg(P2, Outlet1, At(3, 10), "APPROVED", "MATCH", 0.88, compared: true);
        Reg(P3, Outlet1, At(3, 11), "PENDING_REVIEW", "REVIEW", 0.52, compared: true);
        Later(P3, Outlet1, At(3, 11, 15), "REVIEW_DECIDED", "reviewer-9", decision: "APPROVED", status: "ACTIVE", reasons: ["SAME_PERSON"], details: "{\"case_kind\":\"REGISTRATION\"}");
        Reg(P4, Outlet1, At(3, 12), "REFUSED", "NO_MATCH", 0.21, compared: true, reasons: ["FACE_MISMATCH"]);
        Reg(P5, Outlet1, At(3, 13), "REFUSED", "REJECTED", null, compared: false, reasons: ["NO_FACE"]);
        Later(P1, Outlet1, At(3, 20), "FRAUD_REPORTED", "risk-7");
        Later(P1, Outlet1, At(3, 20, 11), "RE_REVIEW_TRIGGERED", "risk-7", reasons: ["FRAUD_REPORT"], status: "RE_REVIEW_REQUIRED");
        Later(P1, Outlet1, At(3, 21), "RE_REVIEW_DECIDED", "holder", decision: "FAILED", reasons: ["FACE_MISMATCH"], status: "SUSPENDED");
        Later(P1, Outlet1, At(3, 21, 11), "SUSPENDED", "system", reasons: ["RE_REVIEW_FAILED"], status: "SUSPENDED");
        Later(P2, Outlet1, At(3, 25), "RE_REVIEW_TRIGGERED", "system", reasons: ["PERIODIC"], status: "RE_REVIEW_REQUIRED");
        Later(P2, Outlet1, At(3, 26), "SUSPENDED", "system", reasons: ["RE_REVIEW_OVERDUE"], status: "SUSPENDED");
        Later(P2, Outlet1, At(3, 28), "RE_REVIEW_DECIDED", "holder", decision: "PASSED", status: "ACTIVE");
        Later(P2, Outlet1, At(3, 28, 11), "RESTORED", "system", reasons: ["RE_REVIEW_PASSED"], status: "ACTIVE");

        // Outlet 2: online, an MVNO, Shenzhen, IoT cards, clerk C2.
        Reg(P6, Outlet2, At(3, 5), "APPROVED", "MATCH", 0.95, compared: true);
        Reg(P7, Outlet2, At(3, 6), "PENDING_REVIEW", "REVIEW", 0.50, compared: true);
        Later(P7, Outlet2, At(3, 6, 16), "REVIEW_DECIDED", "reviewer-3", decision: "REJECTED", status: "REJECTED", reasons: ["DIFFERENT_PERSON"], details: "{\"case_kind\":\"REGISTRATION\",\"note\":\"a, \\\"quoted\\\" note\"}");
        Reg(P8, Outlet2, At(3, 7), "REFUSED", "NO_MATCH", 0.30, compared: true, reasons: ["IDENTITY_LIMIT_EXCEEDED", "FACE_MISMATCH"]);

        // April.
        Reg(P9, Outlet1, At(4, 2), "APPROVED", "MATCH", 0.90, compared: true);
        Later(P1, Outlet1, At(4, 3), "FRAUD_REPORTED", "risk-8");
        Reg(P10, Outlet2, At(4, 30, 23, 59), "APPROVED", "MATCH", 0.93, compared: true);     // 30 April 23:59 UTC+8
        Later(P6, Outlet2, At(4, 10), "FRAUD_REPORTED", "risk-7");
        Later(P6, Outlet2, At(4, 11), "FRAUD_REPORTED", "risk-8");                             // same number again: still 1 distinct
        Later(P6, Outlet2, At(4, 12), "SELF_SERVICE_LOOKUP", "holder", decision: "ALLOWED");    // not a report figure

        // Just outside the period.
        Reg(Outside1, Outlet1, new DateTimeOffset(2025, 2, 28, 23, 59, 0, Cst), "APPROVED", "MATCH", 0.9, compared: true);
        Reg(Outside2, Outlet1, To, "APPROVED", "MATCH", 0.9, compared: true);
    }

    private void Reg(string phone, string outlet, DateTimeOffset at, string decision, string faceDecision, double? score, bool compared, string[]? reasons = null) =>
        events.Add(Base(phone, outlet, at, "REGISTRATION_DECIDED", outlet == Outlet1 ? "clerk-C1" : "clerk-C2") with
        {
            Decision = decision,
            FaceCompared = compared,
            FaceDecision = faceDecision,
            FaceScore = score,
            ModelVersion = "test-model-1",
            Reasons = reasons ?? [],
            StatusAfter = decision switch { "APPROVED" => "ACTIVE", "PENDING_REVIEW" => "PENDING_REVIEW", _ => null },
        });

    private void Later(string phone, string outlet, DateTimeOffset at, string type, string actor, string? decision = null, string? status = null, string[]? reasons = null, string? details = null) =>
        events.Add(Base(phone, outlet, at, type, actor) with { Decision = decision, StatusAfter = status, Reasons = reasons ?? [], Details = details });

    private static AuditEvent Base(string phone, string outlet, DateTimeOffset at, string type, string actor) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = at,
        EventType = type,
        PhoneNumber = phone,
        IdentityKey = "ik-" + phone,
        CarrierId = outlet == Outlet1 ? "cmcc" : "mvno-x",
        ChannelKind = outlet == Outlet1 ? "RETAIL" : "ONLINE",
        Region = outlet == Outlet1 ? "310000" : "440300",
        OutletId = outlet,
        ClerkId = outlet == Outlet1 ? "clerk-C1" : "clerk-C2",
        DeviceId = outlet == Outlet1 ? "reader-1" : "app-2",
        CardType = outlet == Outlet1 ? "PERSONAL" : "IOT",
        Actor = actor,
        Caller = "seed-" + actor,
    };
}
