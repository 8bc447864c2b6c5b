using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using CreditCodes = RealName.Rules.CreditCodes;

namespace RealName.Cli.Bench;

/// <summary>A document portrait and a live photo of the same person.</summary>
internal sealed record FacePair(string Name, ByteString Portrait, ByteString Live);

/// <summary>
/// The requests a simulated terminal sends: every number, identity, enterprise and idempotency key is derived from the
/// run number and the request's index, so a run never collides with itself and runs can repeat on one database.
/// </summary>
internal static class BenchRequests
{
    /// <summary>Run numbers: 0-5999 (the number's second digit 3-8 and three more digits).</summary>
    public const int Runs = 6000;

    /// <summary>Requests per run and scenario before numbers repeat.</summary>
    public const int PerRun = 1_000_000;

    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>The number of a run's request: 1, the run (4 digits, the first 3-8), the index (6 digits).</summary>
    public static string PhoneNumber(int run, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"1{3 + (run / 1000)}{run % 1000:D3}{index % PerRun:D6}");

    /// <summary>A registration of a new number by a new identity with the pair's photos (the face step runs).</summary>
    public static RegisterSubscriberRequest Registration(int run, int index, FacePair pair)
    {
        // 18,000 birth dates x 1,000 sequence codes: the run and index spread over them, so runs rarely share an identity.
        var n = ((long)run * 1_000_003 + index) % 18_000_000;
        var birth = new DateOnly(1950, 1, 1).AddDays((int)(n % 18_000));
        return WithCustomer(
            Base(run, index, "reg"), string.Create(CultureInfo.InvariantCulture, $"440305{birth:yyyyMMdd}{n / 18_000:D3}"), "压测", pair, $"bench-consent-{run}-{index:D7}");
    }

    /// <summary>
    /// An IoT card of an approved enterprise with directional data only: the rules admit it without a customer, so
    /// the face step does not run (the policy-only path).
    /// </summary>
    public static RegisterSubscriberRequest IotCard(int run, int index, Enterprise enterprise)
    {
        var request = Base(run, index, "iot");
        request.CardType = CardType.Iot;
        request.Enterprise = enterprise;
        request.Iot = new IotProfile { DirectionalDataOnly = true, MonthlyDataMb = 30 };
        return request;
    }

    /// <summary>An enterprise of a run (a valid GB 32100 credit code).</summary>
    public static Enterprise Enterprise(int run, int index)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"9144{run:D4}{index:D5}MA1K");
        return new Enterprise { CreditCode = body + CreditAlphabet.First(c => CreditCodes.IsValid(body + c)), Name = $"压测物联网{run}-{index}" };
    }

    /// <summary>A fixed identity per re-review slot, the same in every run, so its number can be reused.</summary>
    public static RegisterSubscriberRequest ReReviewHolder(int slot, FacePair pair)
    {
        var birth = new DateOnly(1960, 1, 1).AddDays(slot);
        var request = Base(0, slot, "holder");
        request.PhoneNumber = ReReviewNumber(slot);
        request.IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"bench-holder-{slot:D5}-{Guid.NewGuid():N}");
        return WithCustomer(request, string.Create(CultureInfo.InvariantCulture, $"110101{birth:yyyyMMdd}999"), "复核", pair, $"bench-holder-consent-{slot:D5}");
    }

    /// <summary>The number of a re-review slot: 199 followed by the slot (numbers no run takes).</summary>
    public static string ReReviewNumber(int slot) => string.Create(CultureInfo.InvariantCulture, $"199{slot:D8}");

    public static ChannelContext Retail(int index) => new()
    {
        Kind = ChannelKind.Retail,
        CarrierId = "cmcc",
        Region = "440300",
        OutletId = $"BENCH-{index % 20:D2}",
        ClerkId = $"bench-clerk-{index % 50:D2}",
        // 20,000 simulated card readers keep each device under the attempt limits (AttemptLimits:PerDevice*: 30 a
        // minute, 1,000 a day) at up to 10,000 registrations/s and over a million-number fill.
        DeviceId = $"bench-reader-{index % 20000:D5}",
    };

    private static RegisterSubscriberRequest Base(int run, int index, string kind) => new()
    {
        PhoneNumber = PhoneNumber(run, index),
        IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"bench-{kind}-{run}-{index:D7}"),
        Channel = Retail(index),
        RiskNotice = new FraudRiskNotice { NoticeVersion = "bench-1", AcknowledgedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-5)) },
    };

    /// <summary>The request with a customer (resident ID of the 17 digits given, the check digit computed), the pair's photos and a consent.</summary>
    private static RegisterSubscriberRequest WithCustomer(RegisterSubscriberRequest request, string first17, string name, FacePair pair, string consentId)
    {
        request.Customer = new PersonEvidence { Document = Document(first17, name), PortraitImage = pair.Portrait, LiveImage = pair.Live };
        request.Consent = Consent(consentId);
        return request;
    }

    private static IdentityDocument Document(string first17, string name)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var check = "10X98765432"[first17.Select((c, i) => (c - '0') * weights[i]).Sum() % 11];
        return new IdentityDocument { Type = DocumentType.ResidentId, Number = first17 + check, Name = name, ValidUntil = "2036-01-01" };
    }

    private static FaceProcessingConsent Consent(string id) => new()
    {
        ConsentId = id,
        TextVersion = "bench-1",
        ConsentedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-5)),
    };
}
