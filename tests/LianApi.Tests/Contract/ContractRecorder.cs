using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace LianApi.Tests.Contract;

/// <summary>One answer of the app as a client received it: what the contract test checks against the spec.</summary>
public sealed record RecordedExchange(
    string Method, string Path, int Status, string? ContentType, string? Body, IReadOnlyDictionary<string, string> Headers,
    string? AcceptLanguage = null)
{
    public override string ToString() => $"{Method} {Path} → {Status} {ContentType}";
}

/// <summary>
/// Records every answer of an app the tests started (method, path, status, content type, headers, and the body when
/// it is JSON), so the whole suite's traffic can be checked against api-spec/openapi.json.
/// </summary>
public sealed class ContractRecorder : IStartupFilter
{
    private const int MaxCapturedBody = 1024 * 1024;

    /// <summary>Every exchange of every app of this test run.</summary>
    public static ConcurrentQueue<RecordedExchange> All { get; } = new();

    public ConcurrentQueue<RecordedExchange> Exchanges { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var original = context.Response.Body;
            var tee = new TeeStream(original, context.Response);
            context.Response.Body = tee;
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                context.Response.Body = original;
            }
            var exchange = new RecordedExchange(context.Request.Method, context.Request.PathBase + context.Request.Path,
                context.Response.StatusCode, context.Response.ContentType, tee.CapturedText(),
                context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                context.Request.Headers.AcceptLanguage.ToString());
            Exchanges.Enqueue(exchange);
            All.Enqueue(exchange);
        });
        next(app);
    };

    /// <summary>Passes every byte through and keeps a copy of JSON bodies (decided when the first byte is written).</summary>
    private sealed class TeeStream(Stream inner, HttpResponse response) : Stream
    {
        private MemoryStream? copy;
        private bool decided;

        public string? CapturedText() =>
            copy is null ? null : System.Text.Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (!decided)
            {
                decided = true;
                if (response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    copy = new MemoryStream();
                }
            }
            if (copy is not null && copy.Length + bytes.Length > MaxCapturedBody)
            {
                // Larger than any answer of this API should be: not kept, and the check says so.
                copy = null;
            }
            copy?.Write(bytes);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Keep(buffer.AsSpan(offset, count));
            return inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
