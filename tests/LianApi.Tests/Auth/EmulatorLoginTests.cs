using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Auth;

public sealed class EmulatorLoginTests
{
    private static async Task<long> UserIdAsync(HttpClient client, string code)
    {
        var response = await client.PostAsJsonAsync("/api/auth/wechat-login", new { code });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetProperty("id").GetInt64();
    }

    [Test]
    public async Task EmulatedLogin_SameCodeSameUser_DifferentCodeDifferentUser()
    {
        await using var app = new LianApiFactory();
        var client = app.CreateClient();

        var a1 = await UserIdAsync(client, "alice");
        var a2 = await UserIdAsync(client, "alice");
        var b = await UserIdAsync(client, "bob");

        Assert.Multiple(() =>
        {
            Assert.That(a2, Is.EqualTo(a1));
            Assert.That(b, Is.Not.EqualTo(a1));
        });
    }

    [Test]
    public async Task Login_WithoutCode_Returns400Problem()
    {
        await using var app = new LianApiFactory();
        var client = app.CreateClient();

        await ProblemAssert.IsProblem(await client.PostAsJsonAsync("/api/auth/wechat-login", new { code = "" }), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblem(await client.PostAsJsonAsync("/api/auth/wechat-login", new { }), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Login_TooOftenFromOneAddress_Returns429WithRetryAfter()
    {
        await using var app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["RateLimiting:LoginBurst"] = "2",
            ["RateLimiting:LoginsPerMinute"] = "6",
        });
        var client = app.CreateClient();
        await UserIdAsync(client, "a");
        await UserIdAsync(client, "b");

        var third = await client.PostAsJsonAsync("/api/auth/wechat-login", new { code = "c" });

        await ProblemAssert.IsProblem(third, HttpStatusCode.TooManyRequests);
        Assert.That(third.Headers.RetryAfter, Is.Not.Null);
    }
}
