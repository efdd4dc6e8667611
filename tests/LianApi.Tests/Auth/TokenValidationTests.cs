using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LianApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LianApi.Tests.Auth;

public sealed class TokenValidationTests
{
    private static LianApiFactory app = null!;

    [OneTimeSetUp]
    public static void Start()
    {
        app = new LianApiFactory();
        app.StartServer();
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private static string Token(Action<SecurityTokenDescriptor>? change = null, string key = LianApiFactory.TestJwtKey)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "lianapi",
            Audience = "lianapi-miniprogram",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(2),
            Claims = new Dictionary<string, object> { ["sub"] = "1", ["role"] = new[] { "resident" } },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static async Task<HttpResponseMessage> GetMineAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/complaints/mine");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await app.CreateClient().SendAsync(request);
    }

    [Test]
    public async Task ValidToken_IsAccepted()
    {
        // The positive control: without it, every rejection below could be an accident.
        var response = await GetMineAsync(Token());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static IEnumerable<TestCaseData> BadTokens()
    {
        yield return new TestCaseData((object?)null).SetName("NoToken_Returns401");
        yield return new TestCaseData(Token(d => { d.IssuedAt = DateTime.UtcNow.AddHours(-3); d.NotBefore = d.IssuedAt; d.Expires = DateTime.UtcNow.AddSeconds(-45); }))
            .SetName("TokenExpiredPastThe30sSkew_Returns401");
        yield return new TestCaseData(Token(key: Convert.ToBase64String(Encoding.UTF8.GetBytes("another-key-that-is-32-bytes-long!!"))))
            .SetName("TokenSignedWithAnotherKey_Returns401");
        yield return new TestCaseData(Token(d => d.Issuer = "someone-else")).SetName("TokenWithWrongIssuer_Returns401");
        yield return new TestCaseData(Token(d => d.Audience = "another-app")).SetName("TokenWithWrongAudience_Returns401");
        yield return new TestCaseData(Token(d => d.Expires = null)).SetName("TokenWithoutExpiry_Returns401");
        yield return new TestCaseData(Unsigned()).SetName("UnsignedAlgNoneToken_Returns401");
        yield return new TestCaseData("not-a-jwt").SetName("GarbageToken_Returns401");
    }

    private static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"sub":"1","iss":"lianapi","aud":"lianapi-miniprogram","exp":{{exp}}}""")}.";
    }

    [TestCaseSource(nameof(BadTokens))]
    public async Task BadToken_IsRejectedWithProblem(string? token)
    {
        var response = await GetMineAsync(token);

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
    }

    [Test]
    public void EveryEndpoint_RequiresAToken_UnlessItIsDeliberatelyAnonymous()
    {
        string[] anonymous =
        [
            "POST /api/auth/wechat-login", "GET /api/categories", "GET /api/communities", "GET /api/communities/{code}",
            "GET /health/live", "GET /health/ready", "GET /problems/{code}", "GET /api/stats/public",
            // The print set (GET /api/posters) is an ops job: staff only.
            "GET /api/communities/{code}/qrcode", "GET /api/scan", "GET /api/communities/{code}/poster",
            // WeChat's servers call the push endpoint; its signature (our Token) is the authentication.
            "GET /api/wechat/push", "POST /api/wechat/push",
            // <image src> sends no header: a signed link is the credential; without one the handler asks for a token itself.
            "GET /api/photos/{id}", "GET /api/photos/{id}/thumb",
            // 办结公示 is public by design: consented, resolved cases without personal data.
            "GET /api/public/cases",
            // Open311 GeoReport v2 reads need no key; its POST takes the partner's api_key in the form (403 without one).
            "GET /open311/v2/discovery.{format}", "GET /open311/v2/services.{format}", "GET /open311/v2/requests.{format}",
            "GET /open311/v2/requests/{id}.{format}", "POST /open311/v2/requests.{format}",
            // The console's login page and what it asks while waiting (the ticket's browser cookie is the credential), and its
            // development login (Emulator only, 404 otherwise).
            "GET /console/login", "POST /console/login/wait", "POST /console/login/dev",
        ];
        var endpoints = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Name: Describe(e), Anonymous: e.Metadata.GetMetadata<IAllowAnonymous>() is not null))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(endpoints.Where(e => e.Anonymous).Select(e => e.Name), Is.EquivalentTo(anonymous));
            Assert.That(endpoints.Count(e => !e.Anonymous), Is.GreaterThanOrEqualTo(3));
        });
    }

    private static string Describe(RouteEndpoint endpoint)
    {
        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
        return $"{method} /{endpoint.RoutePattern.RawText!.Trim('/')}";
    }
}
