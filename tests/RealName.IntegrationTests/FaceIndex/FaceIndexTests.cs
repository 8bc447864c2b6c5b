using RealName.Grains.FaceIndex;
using RealName.Grains.Identities;
using RealName.Grains.Reviews;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Grains;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;
using RealName.Storage;

namespace RealName.IntegrationTests.FaceIndex;

/// <summary>The 1:N face index with real photos (issue 11): one face behind two identities is caught, two faces are not.</summary>
[Collection(FaceIndexCollection.Name)]
public sealed class FaceIndexTests(FaceIndexClusterFixture fixture)
{
    private ISubscriberGrain Subscriber(string phone) => fixture.Grains.GetGrain<ISubscriberGrain>(phone);

    [Fact]
    public async Task The_same_person_registered_under_a_second_identity_is_parked_in_review_with_the_first_identity_attached()
    {
        var first = GrainRequests.NewPhoneNumber();
        var firstIdentity = GrainRequests.NewIdentityKey();
        var admitted = await Subscriber(first).Register(GrainRequests.Personal(firstIdentity, GrainRequests.Retail("SH-FARM-1")));
        Assert.Equal(SubscriberStatus.Active, admitted.Record!.Status);

        // The same card holder, another selfie, another document: what a card farm does.
        var second = GrainRequests.NewPhoneNumber();
        var request = GrainRequests.Personal(GrainRequests.NewIdentityKey(), GrainRequests.Retail("SH-FARM-2"), live: Faces.CardHolder.OtherLive);
        var outcome = await Subscriber(second).Register(request);

        Assert.Null(outcome.Refusal);
        var record = outcome.Record!;
        Assert.Equal(SubscriberStatus.PendingReview, record.Status);
        Assert.Contains("FACE_SEEN_UNDER_OTHER_IDENTITY", Assert.Single(record.History).Reasons);
        var link = Assert.Single(record.FaceLinks, l => l.Owner.PhoneNumber == first);
        Assert.Equal(firstIdentity, link.Owner.IdentityKey);
        Assert.Equal("310*************12", link.Owner.MaskedDocumentNumber);
        Assert.Equal("SH-FARM-1", link.Owner.OutletId);
        Assert.Equal("clerk-1", link.Owner.ClerkId);
        Assert.InRange(link.Score, 0.4, 1.0);

        // The reviewer sees the cluster with the case.
        var reviewCase = await (await ReviewShards.Find(fixture.Grains, record.ReviewCaseId!))!.Get(record.ReviewCaseId!);
        Assert.Contains(reviewCase!.FaceLinks, l => l.Owner.PhoneNumber == first && l.Owner.IdentityKey == firstIdentity);

        // The risk event names both sides.
        var riskEventId = DeterministicIds.From(DeterministicIds.FaceLinked, second, request.IdempotencyKey);
        var riskEvent = await fixture.Database.ScalarAsync<string>(
            "SELECT event_type || '|' || outlet_id || '|' || array_to_string(reasons, ',') || '|' || personal_details FROM audit_events WHERE event_id = @e", ("e", riskEventId));
        Assert.StartsWith("FACE_LINKED|SH-FARM-2|FACE_SEEN_UNDER_OTHER_IDENTITY|", riskEvent);
        Assert.Contains(first, riskEvent);
        Assert.Contains(firstIdentity, riskEvent);
    }

    [Fact]
    public async Task Different_people_are_not_linked()
    {
        var obama = await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(fixture.ObamaIdentity, face: Faces.Obama));
        var biden = await Subscriber(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(GrainRequests.NewIdentityKey(), face: Faces.Biden));

        Assert.Equal(SubscriberStatus.Active, obama.Record!.Status);
        Assert.Equal(SubscriberStatus.Active, biden.Record!.Status);
        Assert.Empty(biden.Record.FaceLinks);
        Assert.Empty(obama.Record.FaceLinks);
    }

    [Fact]
    public async Task A_cancelled_number_leaves_the_index_and_its_row()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var registered = await Subscriber(phone).Register(GrainRequests.Personal(fixture.ObamaIdentity, face: Faces.Obama));
        Assert.Equal(SubscriberStatus.Active, registered.Record!.Status);
        var templateId = RowKey(registered.Record);
        var obama = await ObamaTemplate();
        Assert.Contains(phone, await PhonesMatching(obama));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM face_templates WHERE template_id = @t", ("t", templateId)));

        await Subscriber(phone).Cancel("clerk-1", "USER_REQUEST");

        Assert.DoesNotContain(phone, await PhonesMatching(obama));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM face_templates WHERE template_id = @t", ("t", templateId)));
    }

    [Fact]
    public async Task The_index_is_rebuilt_from_postgresql_after_the_silos_restart()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var registered = await Subscriber(phone).Register(GrainRequests.Personal(fixture.ObamaIdentity, face: Faces.Obama));
        Assert.Equal(SubscriberStatus.Active, registered.Record!.Status);

        // At rest the row is sealed: no clear template, number or identity key in it.
        var row = await fixture.Database.ScalarAsync<byte[]>("SELECT sealed FROM face_templates WHERE template_id = @t", ("t", RowKey(registered.Record)));
        Assert.Equal("RNS1"u8.ToArray(), row![..4]);
        Assert.DoesNotContain(phone, System.Text.Encoding.UTF8.GetString(row));

        var obama = await ObamaTemplate();
        foreach (var silo in fixture.Cluster.Silos.ToList())
        {
            await fixture.Cluster.RestartSiloAsync(silo);
        }

        Assert.Contains(phone, await PhonesMatching(obama));
        var stats = await FaceIndexShards.Stats(fixture.Grains, FaceIndexClusterFixture.Shards);
        Assert.Equal(await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM face_templates"), stats.Templates);
    }

    [Fact]
    public async Task A_re_review_whose_live_face_is_enrolled_under_another_identity_goes_to_a_reviewer()
    {
        // Only this test uses this person: his face is enrolled under two identities here, on purpose.
        var sandler = new FaceSet("sandler", "faces/lfw/Adam_Sandler/Adam_Sandler_0001.jpg", "faces/lfw/Adam_Sandler/Adam_Sandler_0002.jpg", "faces/lfw/Adam_Sandler/Adam_Sandler_0003.jpg");
        var holderPhone = GrainRequests.NewPhoneNumber();
        var holder = await Subscriber(holderPhone).Register(GrainRequests.Personal(GrainRequests.NewIdentityKey(), face: sandler));
        Assert.Equal(SubscriberStatus.Active, holder.Record!.Status);

        // A second identity with the same face is parked; a reviewer admits it anyway, so both faces are now indexed.
        var otherPhone = GrainRequests.NewPhoneNumber();
        var other = await Subscriber(otherPhone).Register(GrainRequests.Personal(GrainRequests.NewIdentityKey(), face: sandler, live: sandler.OtherLive));
        Assert.Equal(SubscriberStatus.PendingReview, other.Record!.Status);
        var approved = await Subscriber(otherPhone).ApplyReviewDecision(new ReviewDecision(other.Record.ReviewCaseId!, "reviewer-1", true, "TWIN_CONFIRMED"));
        Assert.Equal(SubscriberStatus.Active, approved.Record!.Status);

        // The holder's re-review: the live face matches his enrolled face, and the other identity's.
        Assert.Equal(ReReviewTriggerResult.Started, await Subscriber(holderPhone).TriggerReReview(ReReviewTrigger.RiskAlert, "risk-1", null));
        var live = Faces.Image(sandler.OtherLive).ToByteArray();
        var outcome = await Subscriber(holderPhone).ReVerify(new ReVerification(Guid.NewGuid().ToString("N"), live, GrainRequests.Retail("SH-RR")));

        var record = outcome.Record!;
        Assert.Equal(SubscriberStatus.ReReviewRequired, record.Status);
        Assert.Contains("FACE_SEEN_UNDER_OTHER_IDENTITY", record.History[^1].Reasons);
        var caseId = record.ReReview!.ReviewCaseId!;
        var reviewCase = await (await ReviewShards.Find(fixture.Grains, caseId))!.Get(caseId);
        Assert.Contains(reviewCase!.FaceLinks, l => l.Owner.PhoneNumber == otherPhone);
        Assert.DoesNotContain(reviewCase.FaceLinks, l => l.Owner.PhoneNumber == holderPhone);
    }

    private static string RowKey(SubscriberRecord record) =>
        DeterministicIds.From(DeterministicIds.FaceTemplate, record.PhoneNumber, record.RegisteredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString("N");

    private async Task<StoredTemplate> ObamaTemplate() =>
        (await fixture.Grains.GetGrain<IIdentityGrain>(fixture.ObamaIdentity).GetEnrollment())!.Live;

    /// <summary>The numbers whose indexed face matches this face at or above the search threshold.</summary>
    private async Task<IReadOnlyList<string>> PhonesMatching(StoredTemplate face)
    {
        var hits = await FaceIndexShards.Search(fixture.Grains, FaceIndexClusterFixture.Shards, face.Embedding, face.ModelVersion, 50);
        return [.. hits.Select(h => h.Owner.PhoneNumber)];
    }
}
