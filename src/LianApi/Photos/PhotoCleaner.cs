using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LianApi.Shared;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace LianApi.Photos;

/// <summary>What an upload became: the re-encoded photo and its thumbnail, with their hashes (the ETags).</summary>
public sealed record CleanPhoto(byte[] Bytes, string ContentHash, int Width, int Height, byte[] Thumbnail, string ThumbnailHash);

/// <summary>Why an upload was refused; nothing of it is kept.</summary>
public enum PhotoRefusal
{
    UnsupportedType,
    Unreadable,
    TooManyPixels,
}

public sealed class PhotoRefusedException(PhotoRefusal reason) : Exception($"The upload was refused: {reason}.")
{
    public PhotoRefusal Reason { get; } = reason;
}

/// <summary>
/// Turns an upload into a photo we keep: the type from the magic bytes, the size from the header (a decompression bomb
/// is refused before a single pixel is decoded), the EXIF orientation applied, then a fresh JPEG of at most
/// <see cref="LongEdge"/> px and a <see cref="ThumbnailEdge"/> px thumbnail. Skia writes no metadata: EXIF, GPS, XMP,
/// ICC profiles and comments of the upload are gone, as are bytes after its end (polyglots).
/// </summary>
public sealed class PhotoCleaner(IOptions<PhotoOptions> options)
{
    public const int LongEdge = 2048;
    public const int ThumbnailEdge = 400;
    public const int Quality = 82;
    public const int ThumbnailQuality = 75;

    // Bilinear: a cubic filter or mipmaps cost several times the time (README, "Photos") for no difference a
    // phone screen shows; the decoder already reduced the photo to within 8/7 of its size, and the thumbnail is
    // reached by halving steps, so no step shrinks by more than 2 and nothing aliases.
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear);

    public CleanPhoto Clean(ReadOnlySpan<byte> upload)
    {
        using var data = SKData.CreateCopy(upload);
        return Clean(data);
    }

    /// <summary>
    /// The upload copied into native memory, where the decoder reads it, through one small pooled buffer: a 10 MB upload
    /// never becomes a managed array (SKData.Create(Stream) reads it whole through one, a large-object-heap allocation per upload).
    /// </summary>
    public static async Task<SKData> ReadAsync(IFormFile file, CancellationToken ct)
    {
        var data = SKData.Create(file.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await using var stream = file.OpenReadStream();
            long copied = 0;
            while (copied < file.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, file.Length - copied)), ct);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }
                Marshal.Copy(buffer, 0, data.Data + (nint)copied, read);
                copied += read;
            }
            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The same for an upload already in native memory (read straight from the request, never a managed copy).</summary>
    public CleanPhoto Clean(SKData data)
    {
        if (ImageSniffer.Detect(data.Span) == SniffedImage.None)
        {
            throw new PhotoRefusedException(PhotoRefusal.UnsupportedType);
        }
        using var codec = SKCodec.Create(data) ?? throw new PhotoRefusedException(PhotoRefusal.Unreadable);
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            throw new PhotoRefusedException(PhotoRefusal.Unreadable);
        }
        if ((long)width * height > options.Value.MaxPixels)
        {
            throw new PhotoRefusedException(PhotoRefusal.TooManyPixels);
        }
        using var decoded = Decode(codec, LongEdge);
        using var upright = Upright(decoded, codec.EncodedOrigin, LongEdge);
        using var thumbnail = Thumbnail(upright);
        var bytes = Encode(upright, Quality);
        var thumb = Encode(thumbnail, ThumbnailQuality);
        return new CleanPhoto(bytes, Hash(bytes), upright.Width, upright.Height, thumb, Hash(thumb));
    }

    /// <summary>
    /// Decodes at the smallest size the codec offers whose long edge reaches 7/8 of <paramref name="longEdge"/> (JPEG and
    /// WebP decode in 1/8 steps, far faster and smaller than whole), in sRGB. A size between 7/8 and all of the long
    /// edge is kept as it is: a 4000 px photo decodes at 1/2 to 2000 px and needs no resampling pass at all.
    /// </summary>
    private static SKBitmap Decode(SKCodec codec, int longEdge)
    {
        var size = new SKSizeI(codec.Info.Width, codec.Info.Height);
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (Math.Max(scaled.Width, scaled.Height) >= longEdge * 7 / 8)
            {
                size = scaled;
                break;
            }
        }
        // Colours are converted to sRGB here; the copy that is encoded carries no colour space, so no ICC profile is written.
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            // Truncated or corrupt: IncompleteInput would give a half-grey photo, which is no evidence of anything.
            bitmap.Dispose();
            throw new PhotoRefusedException(PhotoRefusal.Unreadable);
        }
        return bitmap;
    }

    /// <summary>The bitmap turned as <paramref name="origin"/> says, scaled to fit <paramref name="longEdge"/>, on white (JPEG has no alpha).</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin, int longEdge)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (w, h) = swap ? (source.Height, source.Width) : (source.Width, source.Height);
        var scale = Math.Min(1.0, (double)longEdge / Math.Max(w, h));
        var (outW, outH) = (Math.Max(1, (int)Math.Round(w * scale)), Math.Max(1, (int)Math.Round(h * scale)));
        var target = new SKBitmap(new SKImageInfo(outW, outH, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.White);
        canvas.Scale((float)outW / w, (float)outH / h);
        canvas.Concat(OriginMatrix(origin, source.Width, source.Height));
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, Sampling);
        canvas.Flush();
        return target;
    }

    /// <summary>The thumbnail by halving steps (each a cheap, alias-free bilinear pass), then the last step to its size.</summary>
    private static SKBitmap Thumbnail(SKBitmap upright)
    {
        var current = upright;
        while (Math.Max(current.Width, current.Height) > 2 * ThumbnailEdge)
        {
            var half = Upright(current, SKEncodedOrigin.TopLeft, Math.Max(current.Width, current.Height) / 2);
            if (!ReferenceEquals(current, upright))
            {
                current.Dispose();
            }
            current = half;
        }
        var thumbnail = Upright(current, SKEncodedOrigin.TopLeft, ThumbnailEdge);
        if (!ReferenceEquals(current, upright))
        {
            current.Dispose();
        }
        return thumbnail;
    }

    /// <summary>Maps the stored pixels (width × height) to the upright picture, for each EXIF orientation.</summary>
    private static SKMatrix OriginMatrix(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    private static byte[] Encode(SKBitmap bitmap, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return jpeg.ToArray();
    }

    public static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
