using System.Net;
using System.Net.Http.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>Guessing binding codes: after a few wrong ones, binding locks for that user and for that address (issue 7 §3).</summary>
public sealed class BindLockoutTests
{
    private static Dictionary<string, string?> Limits() => new()
    {
        ["RateLimiting:BindFailuresPerUser"] = "3",
        ["RateLimiting:BindFailuresPerAddress"] = "5",
    };

    private static Task<HttpResponseMessage> BindAsync(HttpClient client, string code) =>
        client.PostAsJsonAsync("/api/staff/bind", new { bindingCode = code });

    [Test]
    public async Task Bind_AfterThreeWrongCodes_LocksThatUserEvenForTheRightCode()
    {
        await using var app = new LianApiFactory(Limits());
        var guesser = await app.LoginAsync("bind-guesser");
        var rightCode = await app.AddStaffCodeAsync("community", "gongyuanmen");

        var wrong = new List<HttpStatusCode>();
        foreach (var code in new[] { "AAAAA-AAAAA", "BBBBB-BBBBB", "CCCCC-CCCCC" })
        {
            wrong.Add((await BindAsync(guesser, code)).StatusCode);
        }
        var locked = await BindAsync(guesser, rightCode);

        Assert.Multiple(async () =>
        {
            Assert.That(wrong, Is.All.EqualTo(HttpStatusCode.UnprocessableEntity));
            await ProblemAssert.IsProblem(locked, HttpStatusCode.TooManyRequests);
            Assert.That(locked.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(15)));
        });
    }

    [Test]
    public async Task Bind_ManyWrongCodesFromOneAddress_LocksTheAddressForEveryUserOnEveryInstance()
    {
        await using var first = new LianApiFactory(Limits());
        var shared = Limits();
        shared["ConnectionStrings:Lian"] = $"Data Source={first.DatabasePath}";
        await using var second = new LianApiFactory(shared);
        // Five users each try wrong codes from the same address (loopback), below their own limit of three.
        for (var user = 0; user < 5; user++)
        {
            var client = await first.LoginAsync($"bind-address-{user}");
            Assert.That((await BindAsync(client, "DDDDD-DDDDD")).StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        }
        var newcomer = await second.LoginAsync("bind-address-newcomer");
        var rightCode = await second.AddStaffCodeAsync("community", "gongyuanmen");

        var response = await BindAsync(newcomer, rightCode);

        await ProblemAssert.IsProblem(response, HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task Bind_RightCodeAfterAFewMistakes_StillBinds()
    {
        await using var app = new LianApiFactory(Limits());
        var staff = await app.LoginAsync("bind-typo");
        var rightCode = await app.AddStaffCodeAsync("community", "gongyuanmen");

        var typo = await BindAsync(staff, "EEEEE-EEEEE");
        var bound = await BindAsync(staff, rightCode);

        Assert.Multiple(() =>
        {
            Assert.That(typo.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(bound.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
