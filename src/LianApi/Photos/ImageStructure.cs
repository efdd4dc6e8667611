using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using LianApi.Shared;

namespace LianApi.Photos;

/// <summary>
/// Checks an upload's container before a decoder sees it, so a file cut short or at odds with its own header is refused
/// without a decode slot (issue 23: a 154 KB PNG declaring 6300×6300 whose image data ended two rows early held the
/// decoder for half a second, and a 159 MB bitmap, before it was refused). Reads the buffered upload through a seekable
/// stream, with one small buffer: nothing of the upload is copied into memory.
/// <list type="bullet">
/// <item>PNG: every chunk fits in the file, IHDR comes first and is valid, the IDATs are consecutive, IEND is there;
/// then the image data is inflated (counted, not kept: about 0.1 s for 40 megapixels of zeros) and must hold every row
/// the header declares. The pixel limit is checked from IHDR before that.</item>
/// <item>JPEG: the segments and scans run to an EOI marker (bytes after it are allowed: some phones write them).</item>
/// <item>WebP: the RIFF size is no larger than the file, and its chunks, one of them image data, fit in it.</item>
/// </list>
/// </summary>
public static class ImageStructure
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Null when the container is whole; otherwise why the upload is refused.</summary>
    public static PhotoRefusal? Check(Stream image, long maxPixels)
    {
        if (!image.CanSeek)
        {
            throw new ArgumentException("The upload must be buffered (seekable).", nameof(image));
        }
        Span<byte> head = stackalloc byte[12];
        image.Position = 0;
        var kind = ImageSniffer.Detect(head[..image.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)]);
        image.Position = 0;
        try
        {
            return kind switch
            {
                SniffedImage.Png => Png(image, maxPixels),
                SniffedImage.Jpeg => Jpeg(image),
                SniffedImage.Webp => Webp(image),
                _ => PhotoRefusal.UnsupportedType,
            };
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            // Cut short (a chunk, a segment or the compressed data runs past the end) or not data of its kind.
            return PhotoRefusal.Unreadable;
        }
    }

    private static PhotoRefusal? Png(Stream png, long maxPixels)
    {
        png.Position = 8;
        Span<byte> header = stackalloc byte[8];
        Span<byte> ihdr = stackalloc byte[13];
        long expected = -1;
        var idat = new List<(long Offset, int Length)>();
        var afterIdat = false;
        while (true)
        {
            png.ReadExactly(header);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header[4..];
            if (length > int.MaxValue || png.Position + length + 4 > png.Length)
            {
                return PhotoRefusal.Unreadable;
            }
            if (expected < 0)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13)
                {
                    return PhotoRefusal.Unreadable;
                }
                png.ReadExactly(ihdr);
                var (width, height) = (BinaryPrimitives.ReadUInt32BigEndian(ihdr), BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]));
                if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
                {
                    return PhotoRefusal.Unreadable;
                }
                if ((long)width * height > maxPixels)
                {
                    // Nothing is inflated for a bomb: the header alone refuses it.
                    return PhotoRefusal.TooManyPixels;
                }
                expected = PngImageBytes((int)width, (int)height, ihdr[8], ihdr[9], ihdr[12]);
                if (expected <= 0 || ihdr[10] != 0 || ihdr[11] != 0)
                {
                    return PhotoRefusal.Unreadable;
                }
                png.Position += 4;
                continue;
            }
            if (type.SequenceEqual("IDAT"u8))
            {
                if (afterIdat)
                {
                    return PhotoRefusal.Unreadable;
                }
                idat.Add((png.Position, (int)length));
            }
            else if (idat.Count > 0)
            {
                afterIdat = true;
            }
            if (type.SequenceEqual("IEND"u8))
            {
                break;
            }
            png.Position += length + 4;
        }
        return idat.Count > 0 && InflatedBytes(png, idat, expected) >= expected ? null : PhotoRefusal.Unreadable;
    }

    /// <summary>
    /// The bytes of image data a PNG's header declares: per row a filter byte and the packed pixels, per Adam7 pass when
    /// interlaced; -1 for a colour type and bit depth PNG does not have.
    /// </summary>
    private static long PngImageBytes(int width, int height, byte bitDepth, byte colorType, byte interlace)
    {
        int? channels = (colorType, bitDepth) switch
        {
            (0, 1 or 2 or 4 or 8 or 16) => 1,
            (2, 8 or 16) => 3,
            (3, 1 or 2 or 4 or 8) => 1,
            (4, 8 or 16) => 2,
            (6, 8 or 16) => 4,
            _ => null,
        };
        if (channels is not { } perPixel || interlace > 1)
        {
            return -1;
        }
        long Rows(long columns, long rows) => columns == 0 || rows == 0 ? 0 : rows * (1 + (columns * perPixel * bitDepth + 7) / 8);
        if (interlace == 0)
        {
            return Rows(width, height);
        }
        // Adam7: each pass's first column and row, and its step.
        (int X, int Y, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        return passes.Sum(p => Rows(Math.Max(0, (width - p.X + p.Dx - 1) / p.Dx), Math.Max(0, (height - p.Y + p.Dy - 1) / p.Dy)));
    }

    /// <summary>Inflates the IDAT data up to <paramref name="wanted"/> bytes, counting them: how many there are.</summary>
    private static long InflatedBytes(Stream png, List<(long Offset, int Length)> idat, long wanted)
    {
        using var inflated = new ZLibStream(new SegmentStream(png, idat), CompressionMode.Decompress);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while (total < wanted && (read = inflated.Read(buffer, 0, (int)Math.Min(buffer.Length, wanted - total))) > 0)
            {
                total += read;
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static PhotoRefusal? Jpeg(Stream jpeg)
    {
        using var reader = new ForwardReader(jpeg);
        reader.Skip(2);
        var scanned = false;
        while (true)
        {
            if (reader.Next() != 0xFF)
            {
                return PhotoRefusal.Unreadable;
            }
            int marker;
            do
            {
                marker = reader.Next();
            }
            while (marker == 0xFF);
            if (marker == 0xD9)
            {
                return scanned ? null : PhotoRefusal.Unreadable;
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue;
            }
            var length = reader.Next() << 8 | reader.Next();
            if (length < 2)
            {
                return PhotoRefusal.Unreadable;
            }
            reader.Skip(length - 2);
            if (marker == 0xDA)
            {
                scanned = true;
                reader.SkipEntropyCodedData();
            }
        }
    }

    private static PhotoRefusal? Webp(Stream webp)
    {
        Span<byte> header = stackalloc byte[8];
        webp.Position = 4;
        webp.ReadExactly(header[..4]);
        var end = 8 + (long)BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (end > webp.Length)
        {
            return PhotoRefusal.Unreadable;
        }
        var position = 12L;
        var image = false;
        while (position + 8 <= end)
        {
            webp.Position = position;
            webp.ReadExactly(header);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            position += 8 + size + (size & 1);
            if (position - (size & 1) > end)
            {
                return PhotoRefusal.Unreadable;
            }
            image |= header[..4].SequenceEqual("VP8 "u8) || header[..4].SequenceEqual("VP8L"u8) || header[..4].SequenceEqual("ANMF"u8);
        }
        return image ? null : PhotoRefusal.Unreadable;
    }

    /// <summary>Reads the given parts of a stream one after the other, as one stream: a PNG's IDAT data.</summary>
    private sealed class SegmentStream(Stream source, List<(long Offset, int Length)> segments) : Stream
    {
        private int segment;
        private int used;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (segment < segments.Count && used == segments[segment].Length)
            {
                (segment, used) = (segment + 1, 0);
            }
            if (segment == segments.Count || buffer.Length == 0)
            {
                return 0;
            }
            var (start, length) = segments[segment];
            source.Position = start + used;
            var read = source.Read(buffer[..Math.Min(buffer.Length, length - used)]);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }
            used += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A JPEG read forwards through one pooled buffer; running out of bytes is <see cref="EndOfStreamException"/>.</summary>
    private sealed class ForwardReader(Stream source) : IDisposable
    {
        private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        private int start;
        private int end;

        public int Next()
        {
            if (start == end && !Fill())
            {
                throw new EndOfStreamException();
            }
            return buffer[start++];
        }

        public void Skip(long count)
        {
            var buffered = Math.Min(count, end - start);
            start += (int)buffered;
            if (count > buffered)
            {
                source.Position += count - buffered;
                if (source.Position > source.Length)
                {
                    throw new EndOfStreamException();
                }
            }
        }

        /// <summary>
        /// Skips a scan's entropy-coded data up to the marker after it, left unread: an FF is data when a 00 (stuffing)
        /// or a restart marker (D0–D7) follows it.
        /// </summary>
        public void SkipEntropyCodedData()
        {
            while (true)
            {
                var ff = buffer.AsSpan(start, end - start).IndexOf((byte)0xFF);
                if (ff < 0)
                {
                    start = end;
                    if (!Fill())
                    {
                        throw new EndOfStreamException();
                    }
                    continue;
                }
                start += ff;
                if (start + 1 == end && !Fill())
                {
                    throw new EndOfStreamException();
                }
                var next = buffer[start + 1];
                if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
                {
                    start += 2;
                    continue;
                }
                return;
            }
        }

        /// <summary>Keeps the unread bytes at the front and reads more after them; false at the end of the stream.</summary>
        private bool Fill()
        {
            var kept = end - start;
            buffer.AsSpan(start, kept).CopyTo(buffer);
            (start, end) = (0, kept);
            var read = source.Read(buffer, end, buffer.Length - end);
            end += read;
            return read > 0;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }
}
