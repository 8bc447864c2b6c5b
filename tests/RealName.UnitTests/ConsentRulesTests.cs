using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>Separate consent to face processing (PIPL) before any face of a registration is processed.</summary>
public sealed class ConsentRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly ConsentInput Given = new("consent-1", "face-2026.1", Now.AddMinutes(-3));

    [Fact]
    public void A_complete_consent_given_before_now_passes_and_a_request_without_faces_needs_none()
    {
        Assert.Null(ConsentRules.Check(Given, processesFaces: true, Now));
        Assert.Null(ConsentRules.Check(Given with { ConsentedAt = Now.Add(ConsentRules.ClockSkew) }, processesFaces: true, Now));
        Assert.Null(ConsentRules.Check(Given with { ConsentedAt = Now - ConsentRules.MaxAge }, processesFaces: true, Now));
        Assert.Null(ConsentRules.Check(null, processesFaces: false, Now));
    }

    [Fact]
    public void A_missing_incomplete_future_or_stale_consent_is_malformed_CONSENT_REQUIRED_on_its_field()
    {
        var refusals = new[]
        {
            ConsentRules.Check(null, processesFaces: true, Now),
            ConsentRules.Check(Given with { ConsentId = " " }, processesFaces: true, Now),
            ConsentRules.Check(Given with { ConsentId = new string('c', ConsentRules.MaxConsentIdLength + 1) }, processesFaces: true, Now),
            ConsentRules.Check(Given with { TextVersion = "" }, processesFaces: true, Now),
            ConsentRules.Check(Given with { ConsentedAt = null }, processesFaces: true, Now),
            ConsentRules.Check(Given with { ConsentedAt = Now.AddMinutes(2) }, processesFaces: true, Now),
            // Older than the sale it is for, or a default a careless client sent (found through buf curl: 1900-01-01 was taken).
            ConsentRules.Check(Given with { ConsentedAt = Now - ConsentRules.MaxAge - TimeSpan.FromSeconds(1) }, processesFaces: true, Now),
            ConsentRules.Check(Given with { ConsentedAt = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero) }, processesFaces: true, Now),
        };

        Assert.All(refusals, r => Assert.Equal((ReasonCode.ConsentRequired, ReasonKind.Malformed, "CONSENT_REQUIRED"), (r!.Code, r.Kind, r.Reason)));
        Assert.Equal(
            ["consent", "consent.consent_id", "consent.consent_id", "consent.text_version", "consent.consented_at", "consent.consented_at", "consent.consented_at", "consent.consented_at"],
            refusals.Select(r => r!.Field));
    }
}
