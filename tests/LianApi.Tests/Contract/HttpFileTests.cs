using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Complaints;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Contract;

/// <summary>src/LianApi/LianApi.http is the hands-on tour: one request per endpoint and per staff action, each with its expected answer.</summary>
public sealed partial class HttpFileTests
{
    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|DELETE) \{\{host\}\}(\S+)")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\{[^}]*\}+")]
    private static partial Regex Placeholder();

    [Test]
    public async Task HttpFile_CoversEveryEndpointOfTheSpecAndEveryStaffAction()
    {
        await using var app = new LianApiFactory();
        var spec = await app.CreateClient().GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var endpoints = spec.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {Normalize(p.Name)}")).ToHashSet();
        var requests = Requests().ToList();
        var actions = requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/api/staff/complaints/", StringComparison.Ordinal))
            .Select(r => r.Path.Split('/')[^1]).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(endpoints, Has.Count.GreaterThan(15));
            Assert.That(endpoints.Where(e => !requests.Any(r => Matches(e, $"{r.Method} {Normalize(r.Path)}"))), Is.Empty,
                "endpoints of the spec without a request in LianApi.http");
            Assert.That(ComplaintActions.All.Where(a => !actions.Contains(a)), Is.Empty, "staff actions without a request in LianApi.http");
        });
    }

    // GET /api/communities/{} is matched by GET /api/communities/gongyuanmen: a parameter matches any one segment, or the
    // part of one it stands for ({}.{} matches 2026-12-07.pdf).
    private static bool Matches(string endpoint, string request)
    {
        var (e, r) = (endpoint.Split('/'), request.Split('/'));
        return e.Length == r.Length && e.Zip(r).All(p => p.First == "{}" || p.First == p.Second
            || (p.First.Contains("{}", StringComparison.Ordinal) && Regex.IsMatch(p.Second, "^" + Regex.Escape(p.First).Replace(@"\{}", "[^/]+", StringComparison.Ordinal) + "$")));
    }

    [Test]
    public void HttpFile_EveryRequest_SaysWhatToExpect()
    {
        var lines = File.ReadAllLines(HttpFile());
        var withoutExpectation = lines.Select((line, i) => (line, i)).Where(l => RequestLine().IsMatch(l.line))
            .Where(l => !lines.Take(l.i).Reverse().TakeWhile(p => p.StartsWith('#') || p.StartsWith('@')).Any(p => p.Contains('→')))
            .Select(l => l.line).ToList();

        Assert.That(withoutExpectation, Is.Empty, "requests whose ### comment gives no expected answer (→ …)");
    }

    // A path with its parameters blanked: /api/complaints/{trackingNo}/urge and /api/complaints/{{report…}}/urge match.
    private static string Normalize(string path) => Placeholder().Replace(path.Split('?')[0], "{}").TrimEnd('/');

    private static IEnumerable<(string Method, string Path)> Requests() =>
        File.ReadAllLines(HttpFile()).Select(l => RequestLine().Match(l)).Where(m => m.Success).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    private static string HttpFile()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LianApi.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("LianApi.sln not found"), "src", "LianApi", "LianApi.http");
    }
}
