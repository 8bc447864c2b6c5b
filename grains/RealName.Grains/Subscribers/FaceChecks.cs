using System.Globalization;
using RealName.Face;
using RealName.Grains.Face;
using RealName.Grains.Identities;

using RealName.Rules;

namespace RealName.Grains.Subscribers;

/// <summary>The combined face decision over everyone a request involves (customer, agent, guardian).</summary>
internal sealed record FaceCheck(ImmutableList<FaceSummary> Summaries, Refusal? Refusal, bool NeedsReview, Enrollment? CustomerEnrollment)
{
    /// <summary>The new live template of a re-review (for the 1:N search).</summary>
    public StoredTemplate? Live { get; init; }
}

/// <summary>
/// Runs the face comparisons a request needs on the stateless face grain and folds them into one
/// decision: a refused image or a mismatch of anyone refuses the request; a borderline score of anyone
/// sends it to a reviewer (never a silent pass); otherwise it passes.
/// </summary>
internal static class FaceChecks
{
    /// <summary>A review reason (not a refusal): the live face does not match the identity's enrolled face.</summary>
    public const string FaceDiffersFromEnrolled = "FACE_DIFFERS_FROM_ENROLLED";

    /// <summary>
    /// The comparisons of a registration, on this silo's engine with the caller's token: abandoned
    /// (OperationCanceledException) when the caller gives up.
    /// </summary>
    public static async Task<FaceCheck> ForRegistration(IFaceEngine engine, RegistrationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var people = new List<(string Person, PersonEvidence Evidence)>();
        if (request.Customer is { } customer)
        {
            people.Add(("customer", customer));
        }

        if (request.Agent is { } agent)
        {
            people.Add(("agent", agent));
        }

        if (request.Guardian is { } guardian)
        {
            people.Add(("guardian", guardian));
        }

        if (people.Count == 0)
        {
            return new FaceCheck([], null, false, null);
        }

        var results = await Task.WhenAll(people.Select(p => FaceWork.Compare(engine, p.Evidence.Portrait, p.Evidence.Live, cancellationToken)));
        var check = Decide(people.Select(p => p.Person).Zip(results).ToList());

        Enrollment? enrollment = null;
        if (request.Customer is not null && results[0] is { DocumentTemplate: { } portrait, LiveTemplate: { } live })
        {
            enrollment = new Enrollment(
                new StoredTemplate(portrait.Embedding.ToArray(), portrait.ModelVersion),
                new StoredTemplate(live.Embedding.ToArray(), live.ModelVersion),
                now);
        }

        return check with { CustomerEnrollment = enrollment };
    }

    /// <summary>A re-review: the new live photo against the enrolled live face and the document portrait.</summary>
    public static async Task<FaceCheck> ForReReview(IFaceEngine engine, Enrollment enrollment, byte[] live, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(
            FaceWork.CompareWithTemplate(engine, new FaceTemplateData(enrollment.Live.Embedding, enrollment.Live.ModelVersion), live, cancellationToken),
            FaceWork.CompareWithTemplate(engine, new FaceTemplateData(enrollment.Portrait.Embedding, enrollment.Portrait.ModelVersion), live, cancellationToken));
        return Decide([("enrolled-live", results[0]), ("enrolled-portrait", results[1])]) with
        {
            Live = results[0].LiveTemplate is { } t ? new StoredTemplate([.. t.Embedding], t.ModelVersion) : null,
        };
    }

    /// <summary>
    /// A re-review after a face model change: the live photo against the document portrait read again, with the
    /// current model; its templates become the identity's new enrolment when it passes.
    /// </summary>
    public static async Task<FaceCheck> ForReEnrolment(IFaceEngine engine, byte[] portrait, byte[] live, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await FaceWork.Compare(engine, portrait, live, cancellationToken);
        var enrollment = result is { DocumentTemplate: { } p, LiveTemplate: { } l }
            ? new Enrollment(new StoredTemplate([.. p.Embedding], p.ModelVersion), new StoredTemplate([.. l.Embedding], l.ModelVersion), now)
            : null;
        return Decide([("re-enrolment", result)]) with { CustomerEnrollment = enrollment, Live = enrollment?.Live };
    }

    /// <summary>A holder check (self-service): the live photo against the enrolled live face, on this silo's engine
    /// with the caller's token like a registration.</summary>
    public static async Task<FaceCheck> ForHolder(IFaceEngine engine, Enrollment enrollment, byte[] live, CancellationToken cancellationToken) =>
        Decide([("holder", await FaceWork.CompareWithTemplate(engine, new FaceTemplateData(enrollment.Live.Embedding, enrollment.Live.ModelVersion), live, cancellationToken))]);

    /// <summary>
    /// A new registration of an enrolled identity: its live face (the template the registration's own comparison
    /// already extracted) against the enrolled live face. NO_MATCH or REVIEW means someone else may be using the
    /// document, or enrolled first with it: the registration goes to review. An enrolled template of an older model
    /// version cannot be compared (REJECTED) and does not hold the registration back.
    /// </summary>
    public static async Task<(FaceSummary Summary, bool Differs)> AgainstEnrolled(IGrainFactory grains, Enrollment enrolled, StoredTemplate live)
    {
        var result = await grains.GetGrain<IFaceComparisonGrain>(0).CompareTemplates(
            new FaceTemplateData(enrolled.Live.Embedding, enrolled.Live.ModelVersion), new FaceTemplateData(live.Embedding, live.ModelVersion));
        return (Summarise("enrolled-live", result), result.Decision is FaceVerdict.NO_MATCH or FaceVerdict.REVIEW);
    }

    private static FaceCheck Decide(IReadOnlyList<(string Person, FaceCompareResult Result)> results)
    {
        var summaries = results.Select(r => Summarise(r.Person, r.Result)).ToImmutableList();

        foreach (var (person, result) in results.Where(r => r.Result.Decision == FaceVerdict.REJECTED))
        {
            var image = result.Document is { Accepted: false } ? "document" : "live";
            var code = result.Reasons.Count > 0 ? result.Reasons[0].ToString() : nameof(FaceRefusalReason.NO_FACE);
            return new FaceCheck(summaries, new Refusal(code, $"The {person}'s {image} image was refused: {string.Join(", ", result.Reasons)}.")
            {
                Details = ImmutableDictionary<string, string>.Empty
                    .Add("person", person)
                    .Add("image", image)
                    .Add("reasons", string.Join(",", result.Reasons))
                    // The request field, so a malformed image (IMAGE_TOO_LARGE in pixels) names it like one too large in bytes.
                    .Add(Refusal.FieldDetail, $"{person}.{(image == "document" ? "portrait_image" : "live_image")}"),
            }, false, null);
        }

        foreach (var (person, result) in results.Where(r => r.Result.Decision == FaceVerdict.NO_MATCH))
        {
            return new FaceCheck(summaries, new Refusal(RefusalCodes.FaceMismatch, $"The {person}'s live face does not match the document portrait.")
            {
                Details = ImmutableDictionary<string, string>.Empty
                    .Add("person", person)
                    .Add("score", (result.Score ?? 0).ToString("0.0000", CultureInfo.InvariantCulture))
                    .Add("model_version", result.ModelVersion),
            }, false, null);
        }

        return new FaceCheck(summaries, null, results.Any(r => r.Result.Decision == FaceVerdict.REVIEW), null);
    }

    private static FaceSummary Summarise(string person, FaceCompareResult result) =>
        new(person, result.Decision.ToString(), result.Score, result.ModelVersion, result.Reasons.Select(r => r.ToString()).ToArray());
}
