namespace LianApi.Shared;

/// <summary>Tells an image from anything else by its magic bytes, never by a Content-Type header.</summary>
public static class ImageSniffer
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];

    public static bool IsImage(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Png) || bytes.StartsWith(Jpeg);
}
