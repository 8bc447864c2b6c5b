using RealName.Face;

using RealName.Rules;

namespace RealName.Face.Tests;

[Collection(EngineCollection.Name)]
public sealed class IdCardTests(EngineFixture fx)
{
    private readonly byte[] _card = fx.Bytes("idcards/foamliu/id_card.jpg");

    [Theory]
    [InlineData("photo_1.jpg")]
    [InlineData("photo_2.jpg")]
    public async Task Card_holder_selfies_match_the_card(string selfie)
    {
        var r = await fx.Engine.CompareAsync(_card, fx.Bytes("faces/foamliu_idcard/" + selfie));
        Assert.Equal(FaceDecision.MATCH, r.Decision);
        Assert.Empty(r.Reasons);
        Assert.NotNull(r.Score);
        Assert.NotNull(r.Document!.Face);
        Assert.NotNull(r.Live!.Face);
        Assert.NotNull(r.Live.Quality);
        Assert.Equal(fx.Engine.ModelVersion, r.ModelVersion);
        // The portrait sits in the right-hand part of the card.
        Assert.True(r.Document.Face!.X > 1920 / 2);
    }

    [Theory]
    [InlineData("photo_3.jpg")]
    [InlineData("photo_4.jpg")]
    public async Task Impostors_do_not_match_the_card(string other)
    {
        var r = await fx.Engine.CompareAsync(_card, fx.Bytes("faces/foamliu_idcard/" + other));
        Assert.Equal(FaceDecision.NO_MATCH, r.Decision);
    }

    [Fact]
    public async Task Enrolled_template_compares_with_a_later_live_photo()
    {
        var enrolled = await fx.Engine.ExtractAsync(_card, ImageRole.Document);
        Assert.True(enrolled.Accepted);
        Assert.Equal(fx.Engine.Profile.TemplateSize, enrolled.Template!.Embedding.Length);
        var same = await fx.Engine.CompareWithTemplateAsync(enrolled.Template, fx.Bytes("faces/foamliu_idcard/photo_2.jpg"));
        Assert.Equal(FaceDecision.MATCH, same.Decision);
        var other = await fx.Engine.CompareWithTemplateAsync(enrolled.Template, fx.Bytes("faces/foamliu_idcard/photo_4.jpg"));
        Assert.Equal(FaceDecision.NO_MATCH, other.Decision);
        var live = await fx.Engine.ExtractAsync(fx.Bytes("faces/foamliu_idcard/photo_1.jpg"), ImageRole.Live);
        var t = fx.Engine.CompareTemplates(enrolled, live);
        Assert.Equal(FaceDecision.MATCH, t.Decision);
        var foreign = new FaceTemplate(enrolled.Template.Embedding, "other-model/1");
        Assert.Equal(FaceDecision.REJECTED, (await fx.Engine.CompareWithTemplateAsync(foreign, fx.Bytes("faces/foamliu_idcard/photo_2.jpg"))).Decision);
    }

    [Fact]
    public async Task Cartoon_card_is_not_a_photo()
    {
        var r = await fx.Engine.ExtractAsync(fx.Bytes("idcards/a324670547/idcard.jpg"), ImageRole.Document);
        Assert.Contains(FaceRefusalReason.NOT_A_PHOTO, r.Reasons);
        Assert.False(r.Accepted);
        var c = await fx.Engine.CompareAsync(fx.Bytes("idcards/a324670547/idcard.jpg"), fx.Bytes("faces/foamliu_idcard/photo_1.jpg"));
        Assert.Equal(FaceDecision.REJECTED, c.Decision);
        Assert.Null(c.Score);
        Assert.Contains(FaceRefusalReason.NOT_A_PHOTO, c.Reasons);
    }

    [Fact]
    public async Task Parallel_comparisons_agree()
    {
        var selfie = fx.Bytes("faces/foamliu_idcard/photo_1.jpg");
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fx.Engine.CompareAsync(_card, selfie)));
        Assert.All(results, r => Assert.Equal(results[0].Score, r.Score));
    }
}
