using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// The time policy, checked on every JSON answer any test receives from the app: each string that starts like a date
/// and time must read 2026-12-02T11:57:20.339+08:00 (Beijing offset, three fractional digits), in the raw body too.
/// The answers pass through unchanged; what breaks the policy is collected and failed once, at the end of the run.
/// </summary>
public sealed partial class TimestampAudit : IStartupFilter
{
    private const int MaxCaptured = 4 * 1024 * 1024;

    public static ConcurrentQueue<string> Violations { get; } = new();

    private static int seen;

    public static int Seen => seen;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$")]
    private static partial Regex BeijingTimestamp();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T")]
    private static partial Regex LooksLikeATimestamp();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var original = context.Response.Body;
            var tee = new TeeStream(original, MaxCaptured);
            context.Response.Body = tee;
            try
            {
                await nextMiddleware(context);
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            }
            finally
            {
                context.Response.Body = original;
            }
            if (context.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && !tee.Overflowed)
            {
                Inspect($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}", tee.Captured);
            }
        });
        next(app);
    };

    private static void Inspect(string request, byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return;
        }
        using (document)
        {
            var raw = System.Text.Encoding.UTF8.GetString(body);
            foreach (var value in Strings(document.RootElement).Where(v => LooksLikeATimestamp().IsMatch(v)))
            {
                Interlocked.Increment(ref seen);
                if (!BeijingTimestamp().IsMatch(value) || !raw.Contains($"\"{value}\"", StringComparison.Ordinal))
                {
                    Violations.Enqueue($"{request}: {value}");
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>Writes through to the response and keeps a copy of the first bytes.</summary>
    private sealed class TeeStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream copy = new();

        public bool Overflowed { get; private set; }

        public byte[] Captured => copy.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (Overflowed || copy.Length + bytes.Length > limit)
            {
                Overflowed = true;
                return;
            }
            copy.Write(bytes);
        }
    }
}
