namespace LianApi.Shared;

/// <summary>The image formats told apart by their magic bytes.</summary>
public enum SniffedImage
{
    None,
    Jpeg,
    Png,
    Webp,
}

/// <summary>Tells an image from anything else by its magic bytes, never by a Content-Type header or a file name.</summary>
public static class ImageSniffer
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Riff = "RIFF"u8.ToArray();
    private static readonly byte[] Webp = "WEBP"u8.ToArray();

    public static bool IsImage(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Png) || bytes.StartsWith(Jpeg);

    /// <summary>JPEG (FF D8 FF), PNG (its 8-byte signature) or WebP (RIFF….WEBP); anything else (HEIC, GIF, PDF, SVG) is None.</summary>
    public static SniffedImage Detect(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith(Jpeg) ? SniffedImage.Jpeg
        : bytes.StartsWith(Png) ? SniffedImage.Png
        : bytes.Length >= 12 && bytes.StartsWith(Riff) && bytes[8..12].SequenceEqual(Webp) ? SniffedImage.Webp
        : SniffedImage.None;
}
