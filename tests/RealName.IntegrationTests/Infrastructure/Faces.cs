using Google.Protobuf;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>A person in the shared photo sets: a document portrait and live photos of the same face.</summary>
public sealed record FaceSet(string Name, string Portrait, string Live, string OtherLive);

/// <summary>Real photos from ../shared/data (never copied into the repo).</summary>
public static class Faces
{
    /// <summary>The ID-card holder: his card (portrait on a 1920x928 card photo) and two selfies.</summary>
    public static readonly FaceSet CardHolder = new("card-holder", "idcards/foamliu/id_card.jpg", "faces/foamliu_idcard/photo_1.jpg", "faces/foamliu_idcard/photo_2.jpg");

    public static readonly FaceSet Obama = new("obama", "faces/face_recognition/examples/knn_examples/train/obama/obama.jpg",
        "faces/face_recognition/examples/knn_examples/train/obama/obama2.jpg", "faces/face_recognition/tests/test_images/obama3.jpg");

    public static readonly FaceSet Biden = new("biden", "faces/face_recognition/examples/biden.jpg",
        "faces/face_recognition/examples/knn_examples/train/biden/biden2.jpg", "faces/face_recognition/examples/biden.jpg");

    /// <summary>A different person (celebrity photo in the card-holder set).</summary>
    public const string Stranger = "faces/foamliu_idcard/photo_3.jpg";

    /// <summary>Several people in one photo.</summary>
    public const string Group = "faces/deepface/couple.jpg";

    /// <summary>The template card with a cartoon avatar instead of a photo.</summary>
    public const string CartoonCard = "idcards/a324670547/idcard.jpg";

    private static readonly Dictionary<string, ByteString> Cache = [];

    public static ByteString Image(string relativePath)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(relativePath, out var bytes))
            {
                bytes = ByteString.CopyFrom(File.ReadAllBytes(Path.Combine(TestEnvironment.SharedRoot, "data", relativePath)));
                Cache[relativePath] = bytes;
            }

            return bytes;
        }
    }
}
