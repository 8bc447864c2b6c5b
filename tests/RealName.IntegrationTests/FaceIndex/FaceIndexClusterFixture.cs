using RealName.IntegrationTests.Grains;

namespace RealName.IntegrationTests.FaceIndex;

/// <summary>
/// A grain cluster with the 1:N face search on, over three shards. Its tests share one index, so each person is
/// registered under one identity only (<see cref="ObamaIdentity"/> for every Obama registration), except where a
/// test means to register a face under a second identity.
/// </summary>
public sealed class FaceIndexClusterFixture : GrainClusterFixture
{
    public const int Shards = 3;

    /// <summary>The one identity every test of this cluster registers Obama under.</summary>
    public string ObamaIdentity { get; } = GrainRequests.NewIdentityKey();

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["FaceIndex:SearchAtRegistration"] = "true",
        ["FaceIndex:Shards"] = Shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

[CollectionDefinition(Name)]
public sealed class FaceIndexCollection : ICollectionFixture<FaceIndexClusterFixture>
{
    public const string Name = "face-index-cluster";
}
