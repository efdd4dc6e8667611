using System.Buffers.Binary;
using LianApi.Photos;
using SkiaSharp;

namespace LianApi.Tests.Photos;

/// <summary>
/// The container checks on files no encoder here writes (a progressive JPEG's scans, an interlaced PNG, chunks out of
/// order), built byte by byte; the uploads that reach them over HTTP are in <see cref="PhotoAbuseTests"/>.
/// </summary>
public sealed class ImageStructureTests
{
    private const long MaxPixels = 40_000_000;

    private static PhotoRefusal? Check(byte[] bytes) => ImageStructure.Check(new MemoryStream(bytes), MaxPixels);

    private static byte[] Segment(byte marker, params byte[] payload)
    {
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
        return [0xFF, marker, .. length, .. payload];
    }

    /// <summary>The shape of a progressive JPEG: two scans with tables between them, FF stuffing and restart markers in the data.</summary>
    private static byte[] ProgressiveJpeg(bool withEoi) =>
    [
        0xFF, 0xD8,
        .. Segment(0xE1, [.. "Exif\0\0"u8.ToArray(), 0xFF, 0xD8, 0x01, 0xFF, 0xD9]), // an EXIF thumbnail's own SOI and EOI
        .. Segment(0xDB, new byte[65]),
        .. Segment(0xC2, 8, 0, 16, 0, 16, 1, 1, 0x11, 0),
        .. Segment(0xC4, new byte[20]),
        .. Segment(0xDA, 1, 1, 0, 0, 0, 0),
        0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0x00,
        .. Segment(0xC4, new byte[20]),
        0xFF, 0xFF, // fill bytes before a marker
        .. Segment(0xDA, 1, 1, 0, 0, 0, 0),
        0x78, 0x9A, 0xFF, 0xD7, 0xBC,
        .. (withEoi ? new byte[] { 0xFF, 0xD9 } : []),
    ];

    [Test]
    public void Jpeg_ScansAndTablesUpToEoi_IsWhole() => Assert.That(Check(ProgressiveJpeg(withEoi: true)), Is.Null);

    [Test]
    public void Jpeg_CutInItsLastScan_IsUnreadable() => Assert.That(Check(ProgressiveJpeg(withEoi: false)), Is.EqualTo(PhotoRefusal.Unreadable));

    [Test]
    public void Jpeg_EoiBeforeAnyScan_IsUnreadable() =>
        Assert.That(Check([0xFF, 0xD8, .. Segment(0xDB, new byte[65]), 0xFF, 0xD9]), Is.EqualTo(PhotoRefusal.Unreadable));

    [Test]
    public void Jpeg_CutInsideASegment_IsUnreadable() =>
        Assert.That(Check(ProgressiveJpeg(withEoi: true)[..30]), Is.EqualTo(PhotoRefusal.Unreadable));

    [Test]
    public void Jpeg_LongerThanTheBufferWithAnFfAtItsEdge_IsWhole()
    {
        // Entropy-coded data of 200 KB: an FF stuffed at every 64 KB boundary and next to it tests the refill.
        var data = new byte[200 * 1024];
        for (var i = 65535; i < data.Length - 1; i += 65536)
        {
            (data[i], data[i + 1]) = (0xFF, 0x00);
        }
        byte[] jpeg = [0xFF, 0xD8, .. Segment(0xDA, 1, 1, 0, 0, 0, 0), .. data, 0xFF, 0xD9];

        Assert.That(Check(jpeg), Is.Null);
    }

    [TestCase(1, 0)]
    [TestCase(8, 2)]
    [TestCase(16, 6)]
    [TestCase(4, 3)]
    public void Png_InterlacedWithEveryRowOfEveryPass_IsWhole(byte bitDepth, byte colorType) =>
        Assert.That(Check(TestImages.PngOfZeros(37, 19, bitDepth, colorType, interlaced: true)), Is.Null);

    [Test]
    public void Png_InterlacedAPassRowShort_IsUnreadable()
    {
        // 37×19 interlaced has 3+3+2+5+5+10+9 = 37 rows over its seven passes; one fewer is data that ends early.
        var whole = TestImages.PngOfZeros(37, 19, interlaced: true);
        var rows = CountRows(37, 19);

        Assert.That(Check(TestImages.PngOfZeros(37, 19, interlaced: true, rows: rows - 1)), Is.EqualTo(PhotoRefusal.Unreadable));
        Assert.That(Check(whole), Is.Null);
    }

    private static int CountRows(int width, int height) =>
        new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) }
            .Where(p => width > p.Item1 && height > p.Item2).Sum(p => (height - p.Item2 + p.Item4 - 1) / p.Item4);

    [Test]
    public void Png_ImageDataOneRowShort_IsUnreadable() =>
        Assert.That(Check(TestImages.PngOfZeros(640, 480, rows: 479)), Is.EqualTo(PhotoRefusal.Unreadable));

    [Test]
    public void Png_Bomb_IsTooManyPixelsFromItsHeader() =>
        Assert.That(Check(TestImages.PngBomb()), Is.EqualTo(PhotoRefusal.TooManyPixels));

    [Test]
    public void Png_IdatAfterAnotherChunkAfterIdat_IsUnreadable()
    {
        var png = TestImages.Encoded(SKEncodedImageFormat.Png);
        var iend = png.Length - 12;
        // IDAT, tEXt, IDAT: the image data must be one run of chunks. The second IDAT is empty (its CRC is not checked here).
        byte[] text = [0, 0, 0, 1, .. "tEXt"u8.ToArray(), 0x41, 0, 0, 0, 0];
        byte[] idat = [0, 0, 0, 0, .. "IDAT"u8.ToArray(), 0, 0, 0, 0];
        byte[] split = [.. png[..iend], .. text, .. idat, .. png[iend..]];

        Assert.That(Check(split), Is.EqualTo(PhotoRefusal.Unreadable));
    }

    [Test]
    public void Png_WithoutIhdrFirst_IsUnreadable()
    {
        var png = TestImages.Encoded(SKEncodedImageFormat.Png);
        png[12] = (byte)'X';

        Assert.That(Check(png), Is.EqualTo(PhotoRefusal.Unreadable));
    }

    [Test]
    public void Webp_RiffSizeBeyondTheFile_IsUnreadable()
    {
        var webp = TestImages.Encoded(SKEncodedImageFormat.Webp);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4), (uint)webp.Length);

        Assert.That(Check(webp), Is.EqualTo(PhotoRefusal.Unreadable));
    }

    [Test]
    public void Webp_WithTrailingBytes_IsWhole() =>
        Assert.That(Check([.. TestImages.Encoded(SKEncodedImageFormat.Webp), 1, 2, 3]), Is.Null);

    [Test]
    public void NotAnImage_IsUnsupportedType() =>
        Assert.That(Check(TestImages.Pdf()), Is.EqualTo(PhotoRefusal.UnsupportedType));
}
