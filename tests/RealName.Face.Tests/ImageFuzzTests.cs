using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using OpenCvSharp;
using RealName.Face;
using RealName.Rules;
using RealName.UnitTests.Properties;
using Xunit.Abstractions;

namespace RealName.Face.Tests;

/// <summary>
/// A fuzz run (FsCheck generators over bytes) over the image header reader and the whole decode path: real JPEG and
/// PNG photos with bits flipped, bytes overwritten, bodies cut, markers inserted and header sizes rewritten. Every
/// input must end as an accepted face or a refusal with a reason; an exception or a crash of the process is a failure.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ImageFuzzTests(EngineFixture fx, ITestOutputHelper output)
{
    private const string Photo = "faces/lfw/Adam_Sandler/Adam_Sandler_0001.jpg";

    [Fact]
    public void The_header_reader_never_throws_and_reports_only_positive_sizes()
    {
        var seeds = new[] { fx.Bytes(Photo), Png(fx.Bytes(Photo)), [0x42, 0x4D, .. new byte[40]], [.. "RIFF\0\0\0\0WEBPVP8X"u8, .. new byte[20]] };
        var inputs = Gen.OneOf(
            Gen.Elements(seeds).SelectMany(Mutations),
            Gen.Choose(0, 64).SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n)));

        var tried = Fuzz.Check(inputs, bytes => ImageHeader.TryReadSize(bytes) is not { } size || (size.Width > 0 && size.Height > 0), 20_000);

        Report("image header reader", tried);
    }

    [Fact]
    public async Task Broken_JPEG_and_PNG_photos_through_the_decode_path_end_in_a_face_or_a_refusal_never_an_exception()
    {
        var seeds = new[] { fx.Bytes(Photo), Png(fx.Bytes(Photo)) };
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var inputs = Gen.Elements(seeds).SelectMany(Mutations).Sample(400);

        foreach (var bytes in inputs)
        {
            // An exception here fails the test with the input's first bytes; a native crash takes the process down.
            var result = await fx.Engine.ExtractAsync(bytes, ImageRole.Live);
            Assert.True(result.Accepted || result.Reasons.Count > 0, $"no verdict for {Convert.ToHexString(bytes.AsSpan(0, Math.Min(32, bytes.Length)))}");
            var key = result.Accepted ? "accepted" : string.Join('+', result.Reasons);
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        Report("image decode path", inputs.Length, outcomes);
        // The engine still works on the real photo afterwards.
        Assert.True((await fx.Engine.ExtractAsync(fx.Bytes(Photo), ImageRole.Live)).Accepted);
    }

    [Fact]
    public async Task A_header_that_claims_a_huge_image_is_refused_before_decoding()
    {
        var png = Png(fx.Bytes(Photo));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 100_000);

        Assert.Equal([FaceRefusalReason.IMAGE_TOO_LARGE], (await fx.Engine.ExtractAsync(png, ImageRole.Live)).Reasons);
    }

    /// <summary>One damaged copy of a real image: flipped bits, overwritten bytes, a cut body, an inserted marker or a rewritten size.</summary>
    private static Gen<byte[]> Mutations(byte[] seed) =>
        from kind in Gen.Choose(0, 5)
        from position in Gen.Choose(0, seed.Length - 1)
        from value in Gen.Choose(0, 255)
        from count in Gen.Choose(1, 32)
        select Mutate(seed, kind, position, (byte)value, count);

    private static byte[] Mutate(byte[] seed, int kind, int position, byte value, int count)
    {
        var bytes = (byte[])seed.Clone();
        var random = new Random(position * 257 + value);
        switch (kind)
        {
            case 0: // flip bits anywhere
                for (var i = 0; i < count; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1: // overwrite bytes in the header, where sizes, markers and chunk lengths live
                for (var i = 0; i < count; i++)
                {
                    bytes[random.Next(Math.Min(bytes.Length, 256))] = value;
                }

                return bytes;
            case 2: // cut the image short
                return bytes[..position];
            case 3: // insert a marker byte pair
                return [.. bytes[..position], 0xFF, value, .. bytes[position..]];
            case 4: // rewrite the declared size (JPEG SOF or PNG IHDR) to something else, from 0 to 65535
                WriteSize(bytes, (ushort)(value * 257 - count), (ushort)(count * 2048 + value));
                return bytes;
            default: // append garbage after the end
                return [.. bytes, .. Enumerable.Repeat(value, count * 64)];
        }
    }

    private static void WriteSize(byte[] bytes, ushort width, ushort height)
    {
        if (bytes.Length > 24 && bytes[0] == 0x89)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), width);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), height);
            return;
        }

        for (var i = 2; i + 9 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 7), width);
                return;
            }
        }
    }

    private static byte[] Png(byte[] jpeg)
    {
        using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);
        Cv2.ImEncode(".png", image, out var png);
        return png;
    }

    private void Report(string what, int tried, IReadOnlyDictionary<string, int>? outcomes = null)
    {
        var line = $"fuzz {what}: {tried} inputs tried, 0 crashes" +
            (outcomes is null ? "" : " (" + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")) + ")");
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
