using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.FaceIndex;

/// <summary>The risk operators' face clusters and the reviewer's view of a 1:N hit, over gRPC on a grid with the search on.</summary>
public sealed class FaceClusterGridTests
{
    [Fact]
    public async Task Risk_operators_list_identities_sharing_a_face_largest_cluster_first_and_reviewers_see_the_links()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>(LivenessSdk.SiloSettings)
        {
            ["FaceIndex:SearchAtRegistration"] = "true",
            ["FaceIndex:Shards"] = "2",
        });
        var channel = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var farm = new[] { ("SH-001", Faces.CardHolder.Live), ("GZ-003", Faces.CardHolder.OtherLive), ("GZ-003", Faces.CardHolder.Live) };
        var farmed = new List<RegisterSubscriberResponse>();
        foreach (var (outlet, live) in farm)
        {
            farmed.Add(await channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), outlet: outlet, live: live)));
        }

        var pair = new List<RegisterSubscriberResponse>();
        foreach (var live in new[] { Faces.Obama.Live, Faces.Obama.OtherLive })
        {
            pair.Add(await channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), outlet: "SH-001", face: Faces.Obama, live: live)));
        }

        var alone = await channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), face: Faces.Biden));

        Assert.Equal(SubscriberStatus.Active, farmed[0].Subscriber.Status);
        Assert.All(farmed.Skip(1), r => Assert.Equal(SubscriberStatus.PendingReview, r.Subscriber.Status));
        Assert.Equal(SubscriberStatus.PendingReview, pair[1].Subscriber.Status);
        Assert.Equal(SubscriberStatus.Active, alone.Subscriber.Status);

        var risk = new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RiskOperator));
        var clusters = (await risk.ListFaceClustersAsync(new ListFaceClustersRequest())).Clusters;

        Assert.Equal(2, clusters.Count);
        var largest = clusters[0];
        Assert.Equal(3, largest.Identities);
        Assert.Equal(farmed.Select(r => r.Subscriber.PhoneNumber).Order(), largest.Members.Select(m => m.PhoneNumber).Order());
        Assert.Equal(1, largest.Outlets["SH-001"]);
        Assert.Equal(2, largest.Outlets["GZ-003"]);
        Assert.Equal(3, largest.Clerks["clerk-1"]);
        Assert.All(largest.Members, m => Assert.Equal(64, m.IdentityKey.Length));
        Assert.All(largest.Members, m => Assert.Contains('*', m.MaskedDocumentNumber));
        Assert.Equal(2, clusters[1].Identities);
        Assert.DoesNotContain(clusters.SelectMany(c => c.Members), m => m.PhoneNumber == alone.Subscriber.PhoneNumber);

        // The reviewer deciding the second farmed registration sees whom the face was already enrolled under.
        var reviewer = new ReviewService.ReviewServiceClient(grid.Gateway.As(Roles.Reviewer));
        var cases = (await reviewer.ListPendingReviewsAsync(new ListPendingReviewsRequest { PageSize = 100 })).Cases;
        var second = Assert.Single(cases, c => c.PhoneNumber == farmed[1].Subscriber.PhoneNumber);
        var link = Assert.Single(second.FaceLinks);
        Assert.Equal(farmed[0].Subscriber.PhoneNumber, link.PhoneNumber);
        Assert.Equal("SH-001", link.OutletId);
        Assert.Equal(farmed[0].Subscriber.MaskedDocumentNumber, link.MaskedDocumentNumber);
    }
}
