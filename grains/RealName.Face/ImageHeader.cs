using System.Buffers.Binary;

namespace RealName.Face;

/// <summary>Reads image dimensions from the header without decoding pixels (decompression-bomb guard).</summary>
public static class ImageHeader
{
    /// <summary>Returns (width, height) for JPEG, PNG, BMP or WebP; null when the format is unknown or the header is broken.</summary>
    public static (int Width, int Height)? TryReadSize(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 24 && data[0] == 0x89 && data[1] == (byte)'P' && data[2] == (byte)'N' && data[3] == (byte)'G')
        {
            // IHDR is the first chunk: length(4) "IHDR"(4) width(4) height(4).
            if (data[12] != (byte)'I' || data[13] != (byte)'H' || data[14] != (byte)'D' || data[15] != (byte)'R')
            {
                return null;
            }

            var w = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
            var h = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
            return Clamp(w, h);
        }

        if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8)
        {
            return ReadJpeg(data);
        }

        if (data.Length >= 26 && data[0] == (byte)'B' && data[1] == (byte)'M')
        {
            var w = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
            var h = BinaryPrimitives.ReadInt32LittleEndian(data[22..]);
            return Clamp((uint)Math.Abs((long)w), (uint)Math.Abs((long)h));
        }

        if (data.Length >= 30 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            var chunk = data.Slice(12, 4);
            if (chunk.SequenceEqual("VP8X"u8))
            {
                var w = 1u + data[24] + ((uint)data[25] << 8) + ((uint)data[26] << 16);
                var h = 1u + data[27] + ((uint)data[28] << 8) + ((uint)data[29] << 16);
                return Clamp(w, h);
            }

            if (chunk.SequenceEqual("VP8 "u8))
            {
                var w = (uint)(BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF);
                var h = (uint)(BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF);
                return Clamp(w, h);
            }

            if (chunk.SequenceEqual("VP8L"u8) && data.Length >= 25)
            {
                var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
                return Clamp((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
            }
        }

        return null;
    }

    private static (int, int)? Clamp(uint w, uint h) =>
        w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue ? null : ((int)w, (int)h);

    private static (int, int)? ReadJpeg(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                return null;
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return null; // end of image / start of scan before any frame header
            }

            var len = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (len < 2)
            {
                return null;
            }

            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 9 > data.Length)
                {
                    return null;
                }

                var h = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                var w = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]);
                return Clamp(w, h);
            }

            i += 2 + len;
        }

        return null;
    }
}
