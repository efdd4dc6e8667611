using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using SkiaSharp;

namespace LianApi.Tests.Photos;

/// <summary>Images made in the test, byte by byte where a camera's quirks matter (EXIF orientation, a GPS block, a PNG bomb).</summary>
public static class TestImages
{
    /// <summary>The latitude written into the GPS block (34° 15' 54.12" N, Xi'an) as its three RATIONALs, to look for in the output.</summary>
    public static readonly byte[] GpsLatitude = Rationals((34, 1), (15, 1), (5412, 100));

    /// <summary>A JPEG of <paramref name="width"/>×<paramref name="height"/> stored pixels: red in the top-left quarter, blue elsewhere.</summary>
    public static byte[] Jpeg(int width, int height, int quality = 90)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, width / 2f, height / 2f, red);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>The JPEG with an APP1 Exif block right after SOI: Orientation (as a phone held upright writes 6) and a GPS IFD.</summary>
    public static byte[] WithExif(byte[] jpeg, ushort orientation)
    {
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(U32(8));
        // IFD0 at 8: Orientation and the GPS IFD pointer; 2 + 2×12 + 4 = 30 bytes, so the GPS IFD starts at 38.
        tiff.AddRange(U16(2));
        tiff.AddRange(Entry(0x0112, 3, 1, [.. U16(orientation), 0, 0]));
        tiff.AddRange(Entry(0x8825, 4, 1, U32(38)));
        tiff.AddRange(U32(0));
        // GPS IFD at 38: GPSLatitudeRef "N" and GPSLatitude (three RATIONALs at 68).
        tiff.AddRange(U16(2));
        tiff.AddRange(Entry(0x0001, 2, 2, [(byte)'N', 0, 0, 0]));
        tiff.AddRange(Entry(0x0002, 5, 3, U32(68)));
        tiff.AddRange(U32(0));
        tiff.AddRange(GpsLatitude);
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>A valid PNG that declares <paramref name="size"/>² one-bit pixels: a few dozen KB that would decode to gigabytes.</summary>
    public static byte[] PngBomb(int size = 20_000) => PngOfZeros(size, size, bitDepth: 1, colorType: 0, rows: size);

    /// <summary>
    /// A PNG of black pixels whose chunks are all in order (IHDR, IDAT, IEND, right CRCs) and whose image data holds
    /// <paramref name="rows"/> rows: fewer than its height makes the image data end early, as in issue 23's attack
    /// (6300×6300 RGB, two rows short: about 115 KB that the decoder worked on for half a second before refusing).
    /// </summary>
    public static byte[] PngOfZeros(int width, int height, byte bitDepth = 8, byte colorType = 2, int? rows = null, bool interlaced = false)
    {
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colorType;
        header[12] = (byte)(interlaced ? 1 : 0);
        Chunk(png, "IHDR", header);
        var channels = colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        // Each pass of Adam7 is a small image of its own (columns, rows); without interlacing the one pass is the image.
        var passes = interlaced
            ? new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) }
                .Select(p => (Columns: (width - p.Item1 + p.Item3 - 1) / p.Item3, Rows: (height - p.Item2 + p.Item4 - 1) / p.Item4))
                .Where(p => p.Columns > 0 && p.Rows > 0).ToArray()
            : [(Columns: width, Rows: height)];
        var rowsLeft = rows ?? passes.Sum(p => p.Rows);
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            foreach (var (columns, passRows) in passes)
            {
                var row = new byte[1 + ((long)columns * channels * bitDepth + 7) / 8];
                for (var y = 0; y < passRows && rowsLeft > 0; y++, rowsLeft--)
                {
                    zlib.Write(row);
                }
            }
        }
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A green <paramref name="width"/>×<paramref name="height"/> image as Skia encodes it (PNG, WebP, JPEG).</summary>
    public static byte[] Encoded(SKEncodedImageFormat format, int width = 300, int height = 200)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Green);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Gif() => [.. "GIF89a"u8.ToArray(), 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B];

    public static byte[] Heic() => [0, 0, 0, 0x18, .. "ftypheic"u8.ToArray(), 0, 0, 0, 0, .. "mif1heic"u8.ToArray()];

    public static byte[] Svg() => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script></svg>");

    /// <summary>The markers of the segments before the image data (SOS): an upload's metadata lives in APP1 (EXIF, XMP), APP2 (ICC) and COM.</summary>
    public static List<byte> SegmentMarkers(byte[] jpeg)
    {
        var markers = new List<byte>();
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF && jpeg[i + 1] != 0xDA)
        {
            markers.Add(jpeg[i + 1]);
            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }
        return markers;
    }

    public static MultipartFormDataContent Form(byte[] bytes, string fileName = "photo.jpg", string contentType = "image/jpeg")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(U32BigEndian((uint)data.Length));
        png.Write(typeBytes);
        png.Write(data);
        png.Write(U32BigEndian(Crc32([.. typeBytes, .. data])));
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }

    private static byte[] Entry(ushort tag, ushort type, uint count, byte[] value) => [.. U16(tag), .. U16(type), .. U32(count), .. value];

    private static byte[] Rationals(params (uint Numerator, uint Denominator)[] values) =>
        values.SelectMany(v => U32(v.Numerator).Concat(U32(v.Denominator))).ToArray();

    private static byte[] U16(ushort value) => BitConverter.GetBytes(value);

    private static byte[] U32(uint value) => BitConverter.GetBytes(value);

    private static byte[] U32BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
