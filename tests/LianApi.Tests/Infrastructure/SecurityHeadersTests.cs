using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace LianApi.Tests.Infrastructure;

/// <summary>Headers every answer carries, and the client address the limits are keyed on (issue 7 §2–3).</summary>
public sealed class SecurityHeadersTests
{
    private static LianApiFactory app = null!;
    private static HttpClient resident = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        resident = await app.LoginAsync("headers-resident");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    [TestCase("GET", "/health/live")]
    [TestCase("GET", "/api/categories")]
    [TestCase("GET", "/api/no-such-endpoint")]
    [TestCase("GET", "/api/complaints/mine")]
    [TestCase("GET", "/swagger/v1/swagger.json")]
    public async Task AnyAnswer_SaysNosniff(string method, string path)
    {
        var response = await resident.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }

    [TestCase("/api/complaints/mine")]
    [TestCase("/api/complaints/LH20000101-0001")]
    [TestCase("/api/staff/complaints")]
    public async Task PersonalDataEndpoints_SayNoStore_EvenForErrors(string path)
    {
        var response = await resident.GetAsync(path);

        Assert.That(response.Headers.CacheControl?.NoStore, Is.True, $"{(int)response.StatusCode} {path}");
    }

    /// <summary>Every route that needs a token, read from the app's own endpoint table, with its route values filled in.</summary>
    private static IEnumerable<(string Method, string Path)> AuthenticatedRoutes()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart { Name: "action" } => "note",
                RoutePatternParameterPart { Name: "code" } => "gongyuanmen",
                RoutePatternParameterPart { Name: "trackingNo" } => "LH20000101-0001",
                RoutePatternParameterPart parameter => parameter.Name,
                _ => "",
            }))));
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                yield return (method, path);
            }
        }
    }

    [Test]
    public async Task EveryAuthenticatedRoute_SaysNoStore_ForResidentAndStaffAlike()
    {
        using var dispatcher = await app.StaffAsync("headers-dispatcher", "dispatcher", null);
        var routes = AuthenticatedRoutes().ToList();
        var missing = new List<string>();
        foreach (var (method, path) in routes)
        {
            foreach (var client in new[] { resident, dispatcher })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = JsonContent.Create(new { });
                }
                using var response = await client.SendAsync(request);
                if (response.Headers.CacheControl?.NoStore != true)
                {
                    missing.Add($"{method} {path} → {(int)response.StatusCode} {response.Headers.CacheControl}");
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(routes, Has.Count.GreaterThan(15), "the endpoint table was read");
            Assert.That(routes.Select(r => r.Path), Does.Contain("/api/staff/stats/export").And.Contain("/api/notifications/consents"));
            Assert.That(missing, Is.Empty, string.Join("\n", missing));
        });
    }

    [Test]
    public async Task Login_SaysNoStore()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/wechat-login", new { code = "headers-login" });

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        });
    }

    [Test]
    public async Task PublicData_IsNotMarkedNoStore()
    {
        var response = await app.CreateClient().GetAsync("/api/categories");

        Assert.That(response.Headers.CacheControl?.NoStore ?? false, Is.False);
    }

    [Test]
    public async Task Production_OverHttpsThroughATrustedProxy_SendsHsts()
    {
        await using var production = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["QrCodes:LinkPrefix"] = "https://lian.test.invalid/q/c/",
            ["Photos:PublicBaseUrl"] = "https://lian.test.invalid", ["ReverseProxy:KnownProxies:0"] = "127.0.0.1",
        }, environment: "Production");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = "lian.test.invalid";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var response = await production.CreateClient().SendAsync(request);
        var development = await app.CreateClient().GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.True);
            Assert.That(development.Headers.Contains("Strict-Transport-Security"), Is.False);
        });
    }

    private static Dictionary<string, string?> TightLogins(bool trustLoopbackProxy)
    {
        var settings = new Dictionary<string, string?> { ["RateLimiting:LoginBurst"] = "2", ["RateLimiting:LoginsPerMinute"] = "1" };
        if (trustLoopbackProxy)
        {
            settings["ReverseProxy:KnownProxies:0"] = "127.0.0.1";
        }
        return settings;
    }

    private static async Task<HttpStatusCode> LoginFromAsync(HttpClient client, string forwardedFor, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/wechat-login") { Content = JsonContent.Create(new { code }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Test]
    public async Task LoginLimit_BehindATrustedProxy_IsKeyedOnTheForwardedClient()
    {
        await using var behindProxy = new LianApiFactory(TightLogins(trustLoopbackProxy: true));
        var client = behindProxy.CreateClient();

        var fromA = new[] { await LoginFromAsync(client, "198.51.100.1", "a1"), await LoginFromAsync(client, "198.51.100.1", "a2"), await LoginFromAsync(client, "198.51.100.1", "a3") };
        var fromB = await LoginFromAsync(client, "198.51.100.2", "b1");

        Assert.Multiple(() =>
        {
            Assert.That(fromA, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.That(fromB, Is.EqualTo(HttpStatusCode.OK), "another resident behind the same proxy has their own allowance");
        });
    }

    [Test]
    public async Task LoginLimit_WithoutTrustedProxies_IgnoresXForwardedFor()
    {
        await using var direct = new LianApiFactory(TightLogins(trustLoopbackProxy: false));
        var client = direct.CreateClient();

        var statuses = new[]
        {
            await LoginFromAsync(client, "198.51.100.1", "c1"), await LoginFromAsync(client, "198.51.100.2", "c2"),
            await LoginFromAsync(client, "198.51.100.3", "c3"),
        };

        Assert.That(statuses[2], Is.EqualTo(HttpStatusCode.TooManyRequests), "a client cannot pick its own rate-limit key");
    }

    [TestCase("Staging")]
    [TestCase("Production")]
    public async Task Start_EmulatorOutsideDevelopment_IsRefused(string environment)
    {
        await using var staging = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Emulator", ["QrCodes:LinkPrefix"] = "https://lian.test.invalid/q/c/",
        }, environment: environment, kestrel: false);

        var error = Assert.Catch(() => staging.StartServer());

        Assert.That(error!.ToString() + string.Join("\n", staging.Logs.Lines), Does.Contain("Wechat__Mode"));
    }
}
