using Google.Protobuf;
using OpenCvSharp;
using RealName.Face;

namespace RealName.Cli.Bench;

/// <summary>The shared photos the scenarios send (read once; never copied into the repo).</summary>
internal sealed class BenchPhotos
{
    /// <summary>The LFW person whose photos stand for a chip portrait (and who is kept out of the re-review holders).</summary>
    private const string ChipPerson = "Adam_Sandler";

    private BenchPhotos(IReadOnlyList<FacePair> registration, IReadOnlyList<FacePair> holders)
    {
        Registration = registration;
        Holders = holders;
    }

    /// <summary>Registration pairs, used in turn: a full 1920x928 ID-card photo against a selfie, and a chip-sized portrait against a photo.</summary>
    public IReadOnlyList<FacePair> Registration { get; }

    /// <summary>One LFW person per re-review holder (portrait, then the photo a re-review answer sends).</summary>
    public IReadOnlyList<FacePair> Holders { get; }

    public static BenchPhotos Load()
    {
        var data = SharedPaths.DataRoot();
        var lfw = Path.Combine(data, "faces", "lfw");
        var card = new FacePair("id-card", Read(Path.Combine(data, "idcards/foamliu/id_card.jpg")), Read(Path.Combine(data, "faces/foamliu_idcard/photo_1.jpg")));
        var chipFiles = Photos(Path.Combine(lfw, ChipPerson));
        var chip = new FacePair("chip-portrait", ChipSized(chipFiles[0]), Read(chipFiles[1]));
        var holders = Directory.GetDirectories(lfw).Order(StringComparer.Ordinal)
            .Where(d => Path.GetFileName(d) != ChipPerson)
            .Select(Photos)
            .Where(p => p.Length >= 2)
            .Select(p => new FacePair(Path.GetFileName(Path.GetDirectoryName(p[0]))!, Read(p[0]), Read(p[^1])))
            .ToList();
        return new BenchPhotos([card, chip], holders);
    }

    private static string[] Photos(string folder) => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToArray();

    private static ByteString Read(string path) => ByteString.CopyFrom(File.ReadAllBytes(path));

    /// <summary>The face region of an LFW photo at the size of an ID card chip's portrait (102x126 JPEG).</summary>
    private static ByteString ChipSized(string path)
    {
        using var photo = Cv2.ImRead(path, ImreadModes.Color);
        // The chip's 102:126 shape, centred, as tall as the photo allows.
        var height = photo.Rows * 9 / 10;
        var width = height * 102 / 126;
        using var face = new Mat(photo, new Rect((photo.Cols - width) / 2, (photo.Rows - height) / 2, width, height));
        using var chip = new Mat();
        Cv2.Resize(face, chip, new Size(102, 126), interpolation: InterpolationFlags.Area);
        return ByteString.CopyFrom(chip.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 90)));
    }
}
