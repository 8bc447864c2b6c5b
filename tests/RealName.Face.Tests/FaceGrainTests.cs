using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RealName.Face;
using RealName.Grains.Face;

using RealName.Rules;

namespace RealName.Face.Tests;

/// <summary>The stateless-worker grain in an in-process Orleans cluster, with the real engine behind it.</summary>
public sealed class FaceGrainTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new TestClusterBuilder(initialSilosCount: 1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();
    private readonly string _data = SharedPaths.DataRoot();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private byte[] Bytes(string rel) => File.ReadAllBytes(Path.Combine(_data, rel));

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.ConfigureServices(s => s.AddFaceEngine(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Face:PoolSize"] = "2" }).Build()));
    }

    [Fact]
    public void Contract_enums_mirror_the_engine()
    {
        foreach (var d in Enum.GetValues<FaceDecision>())
        {
            Assert.Equal(d.ToString(), ((FaceVerdict)(int)d).ToString());
        }
    }

    [Fact]
    public async Task Grain_compares_extracts_and_compares_with_a_template()
    {
        var grain = _cluster.GrainFactory.GetGrain<IFaceComparisonGrain>(0);
        var card = Bytes("idcards/foamliu/id_card.jpg");

        var match = await grain.Compare(card, Bytes("faces/foamliu_idcard/photo_1.jpg"));
        Assert.Equal(FaceVerdict.MATCH, match.Decision);
        Assert.NotNull(match.Score);
        Assert.NotNull(match.Document?.Face);
        Assert.True(match.MatchThreshold > match.ReviewThreshold);

        var enrolled = await grain.Extract(card, FaceImageKind.Document);
        Assert.NotNull(enrolled.Template);
        var later = await grain.CompareWithTemplate(enrolled.Template, Bytes("faces/foamliu_idcard/photo_2.jpg"));
        Assert.Equal(FaceVerdict.MATCH, later.Decision);
        var impostor = await grain.CompareWithTemplate(enrolled.Template, Bytes("faces/foamliu_idcard/photo_3.jpg"));
        Assert.Equal(FaceVerdict.NO_MATCH, impostor.Decision);

        var multi = await grain.Compare(card, Bytes("faces/deepface/couple.jpg"));
        Assert.Equal(FaceVerdict.REJECTED, multi.Decision);
        Assert.Contains(FaceRefusalReason.MULTIPLE_FACES, multi.Reasons);
        Assert.Null(multi.Score);
    }
}
