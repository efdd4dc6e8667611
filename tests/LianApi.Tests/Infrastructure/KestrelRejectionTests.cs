using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// Raw bytes over TCP, because HttpClient refuses to send most of them. Kestrel answers a request it cannot parse
/// itself, before any middleware runs: a bare status line, no body, the connection closed. Those answers are
/// pinned here (README "Faults") so a framework upgrade that changes one is noticed. What Kestrel lets through
/// reaches the app and gets a problem+json body like every other error.
/// </summary>
public sealed class KestrelRejectionTests
{
    private static LianApiFactory app = null!;
    private static Uri server = null!;
    private static string bearer = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        var resident = await app.LoginAsync("resident-sending-raw-bytes");
        server = resident.BaseAddress!;
        bearer = resident.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private static IEnumerable<TestCaseData> RefusedByKestrel()
    {
        TestCaseData Case(string name, byte[] request, int status) => new TestCaseData(request, status).SetName($"Send_{name}_KestrelAnswers{status}WithoutABody");
        var get = "GET /health/live HTTP/1.1\r\nHost: lian\r\n";

        yield return Case("MalformedRequestLine", Ascii("GARBAGE\r\n\r\n"), 400);
        yield return Case("RequestLineWithoutVersion", Ascii("GET /health/live\r\nHost: lian\r\n\r\n"), 400);
        yield return Case("InvalidMethodCharacters", Ascii("G(T /health/live HTTP/1.1\r\nHost: lian\r\n\r\n"), 400);
        yield return Case("HeaderNameWithASpace", Ascii(get + "Bad Header: 1\r\n\r\n"), 400);
        yield return Case("HeaderLineWithoutColon", Ascii(get + "NoColon\r\n\r\n"), 400);
        yield return Case("WhitespaceBeforeTheColon", Ascii(get + "X-Name : 1\r\n\r\n"), 400);
        yield return Case("ObsoleteLineFolding", Ascii(get + "X-Name: 1\r\n 2\r\n\r\n"), 400);
        yield return Case("NulByteInThePath", Bytes("GET /api/complaints/", [0x00], " HTTP/1.1\r\nHost: lian\r\n\r\n"), 400);
        yield return Case("PercentEncodedNulInThePath", Ascii("GET /api/complaints/%00 HTTP/1.1\r\nHost: lian\r\n\r\n"), 400);
        yield return Case("UnencodedUtf8InThePath", Bytes("GET /api/complaints/", [0xE8, 0x8E, 0xB2], " HTTP/1.1\r\nHost: lian\r\n\r\n"), 400);
        yield return Case("InvalidUtf8InThePath", Bytes("GET /api/complaints/", [0xFF, 0xFE], " HTTP/1.1\r\nHost: lian\r\n\r\n"), 400);
        yield return Case("NoHostHeader", Ascii("GET /health/live HTTP/1.1\r\n\r\n"), 400);
        yield return Case("TwoHostHeaders", Ascii(get + "Host: other\r\n\r\n"), 400);
        yield return Case("AbsoluteUrlForAnotherHost", Ascii("GET http://other/health/live HTTP/1.1\r\nHost: lian\r\n\r\n"), 400);
        yield return Case("NonNumericContentLength", Ascii("POST /api/complaints HTTP/1.1\r\nHost: lian\r\nContent-Length: abc\r\n\r\n"), 400);
        yield return Case("TransferEncodingOtherThanChunked", Ascii("POST /api/complaints HTTP/1.1\r\nHost: lian\r\nTransfer-Encoding: gzip\r\n\r\n"), 400);
        yield return Case("AsteriskTargetForGet", Ascii("GET * HTTP/1.1\r\nHost: lian\r\n\r\n"), 405);
        yield return Case("RequestLineOver8KB", Ascii($"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: lian\r\n\r\n"), 414);
        yield return Case("HeadersOver32KB", Ascii(get + $"X-Big: {new string('a', 40_000)}\r\n\r\n"), 431);
        yield return Case("Over100Headers", Ascii(get + string.Concat(Enumerable.Range(0, 120).Select(i => $"X-H{i}: v\r\n")) + "\r\n"), 431);
        yield return Case("HttpVersion1_2", Ascii("GET /health/live HTTP/1.2\r\nHost: lian\r\n\r\n"), 505);
    }

    [TestCaseSource(nameof(RefusedByKestrel))]
    public async Task Send_MalformedRequest_KestrelAnswersWithoutABody(byte[] request, int status)
    {
        var response = await SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(status), response.Raw);
            Assert.That(response.Headers.GetValueOrDefault("content-length"), Is.EqualTo("0"), response.Raw);
            Assert.That(response.Headers.ContainsKey("content-type"), Is.False, "Kestrel writes no body the app could shape: " + response.Raw);
            Assert.That(response.Headers.GetValueOrDefault("connection"), Is.EqualTo("close"), response.Raw);
        });
    }

    private static IEnumerable<TestCaseData> ShapedByTheApp()
    {
        TestCaseData Case(string name, Func<string, byte[]> request, int status) =>
            new TestCaseData(request, status).SetName($"Send_{name}_AppAnswers{status}Problem");
        string Post(string auth, string headers) =>
            $"POST /api/complaints HTTP/1.1\r\nHost: lian\r\n{auth}Connection: close\r\nIdempotency-Key: {Guid.NewGuid()}\r\nContent-Type: application/json\r\n{headers}\r\n";

        yield return Case("BrokenChunkedBody", auth => Ascii(Post(auth, "Transfer-Encoding: chunked\r\n") + "zz\r\n{}\r\n0\r\n\r\n"), 400);
        yield return Case("ContentLengthOverTheLimit", auth => Ascii(Post(auth, "Content-Length: 300000\r\n") + "{"), 413);
        yield return Case("WrongContentType", auth => Ascii(Post(auth, "Content-Length: 2\r\n").Replace("application/json", "text/plain") + "{}"), 415);
        yield return Case("ControlByteInThePath", auth => Bytes("GET /api/complaints/", [0x01], $" HTTP/1.1\r\nHost: lian\r\n{auth}Connection: close\r\n\r\n"), 404);
        yield return Case("PercentEncodedInvalidUtf8InThePath", auth => Ascii($"GET /api/complaints/%FF%FE HTTP/1.1\r\nHost: lian\r\n{auth}Connection: close\r\n\r\n"), 404);
        yield return Case("MethodTheRouteDoesNotHave", auth => Ascii($"DELETE /api/complaints/mine HTTP/1.1\r\nHost: lian\r\n{auth}Connection: close\r\n\r\n"), 405);
        yield return Case("NoToken", _ => Ascii("GET /api/complaints/mine HTTP/1.1\r\nHost: lian\r\nConnection: close\r\n\r\n"), 401);
    }

    [TestCaseSource(nameof(ShapedByTheApp))]
    public async Task Send_OddRequestKestrelLetsThrough_AppAnswersProblem(Func<string, byte[]> request, int status)
    {
        var response = await SendAsync(request($"Authorization: Bearer {bearer}\r\n"));

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(status), response.Raw);
            Assert.That(response.Headers.GetValueOrDefault("content-type"), Is.EqualTo("application/problem+json"), response.Raw);
        });
        Assert.That(JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetInt32(), Is.EqualTo(status), response.Raw);
    }

    [Test]
    public async Task Send_BodyShorterThanItsContentLengthThenEndOfStream_ConnectionClosesWithoutAnAnswer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Ascii($"POST /api/complaints HTTP/1.1\r\nHost: lian\r\nAuthorization: Bearer {bearer}\r\n" +
            $"Idempotency-Key: {Guid.NewGuid()}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"communityCode\":\"gongyu"), timeout.Token);
        // A prefix the JSON reader accepts so far, so only the early end of the body can stop it.
        tcp.Client.Shutdown(SocketShutdown.Send);
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // Closed with a reset rather than a FIN: the same "no answer", depending on timing.
        }

        Assert.That(received.Length, Is.Zero, "Kestrel takes the early end of stream for a client that went away: " + Encoding.UTF8.GetString(received.ToArray()));
    }

    private sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body, string Raw);

    /// <summary>Sends the bytes and reads until the server closes the connection (Kestrel after a refusal; otherwise Connection: close).</summary>
    private static async Task<RawResponse> SendAsync(byte[] request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request, timeout.Token);
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // Closed with a reset after the answer (bytes of ours it never read): what arrived is the answer.
        }
        var bytes = received.ToArray();
        var raw = Encoding.UTF8.GetString(bytes);

        var headerEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.That(headerEnd, Is.GreaterThan(0), "a complete HTTP response: " + raw);
        var lines = Encoding.ASCII.GetString(bytes, 0, headerEnd).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = bytes[(headerEnd + 4)..];
        if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            body = Unchunk(body);
        }
        return new RawResponse(int.Parse(lines[0].Split(' ')[1]), headers, Encoding.UTF8.GetString(body), raw);
    }

    private static byte[] Unchunk(byte[] chunked)
    {
        var body = new List<byte>();
        var at = 0;
        while (true)
        {
            var lineEnd = at + chunked.AsSpan(at).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd - at), 16);
            if (size == 0)
            {
                return [.. body];
            }
            body.AddRange(chunked.AsSpan(lineEnd + 2, size));
            at = lineEnd + 2 + size + 2;
        }
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Bytes(string before, byte[] raw, string after) => [.. Ascii(before), .. raw, .. Ascii(after)];
}
