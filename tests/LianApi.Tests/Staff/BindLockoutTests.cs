using System.Net;
using System.Net.Http.Json;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Staff;

/// <summary>
/// Guessing binding codes: after a few wrong ones, binding locks for that user (issue 7 §3); the address only slows down those
/// who made mistakes themselves, so a shared address (an office's NAT) cannot be used to lock real staff out (issue 23 §8).
/// </summary>
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

    /// <summary>Users {prefix}-0 … each send one wrong code, from the same address (loopback).</summary>
    private static async Task OneWrongCodeEachAsync(LianApiFactory app, string prefix, int users)
    {
        for (var user = 0; user < users; user++)
        {
            var client = await app.LoginAsync($"{prefix}-{user}");
            Assert.That((await BindAsync(client, "DDDDD-DDDDD")).StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        }
    }

    [Test]
    public async Task Bind_ManyWrongCodesFromOneAddress_NeverLockOutSomeoneWhoMadeNoMistake()
    {
        await using var first = new LianApiFactory(Limits());
        var shared = Limits();
        shared["ConnectionStrings:Lian"] = $"Data Source={first.DatabasePath}";
        await using var second = new LianApiFactory(shared);
        // Ten users each try wrong codes from the same address (loopback: one office behind its NAT), below their own limit.
        await OneWrongCodeEachAsync(first, "bind-address", 10);
        var newcomer = await second.LoginAsync("bind-address-newcomer");
        var rightCode = await second.AddStaffCodeAsync("community", "gongyuanmen");

        var response = await BindAsync(newcomer, rightCode);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the real staff member behind the office's address binds at once");
    }

    [Test]
    public async Task Bind_AGuesserBehindABusyAddress_IsSlowedDown_NotLockedOut()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(Limits(), configureServices: s => FakeClock.Use(s, clock));
        await OneWrongCodeEachAsync(app, "bind-busy", 5);
        // One of them tries again at once: the address is over its allowance, so they wait a little, every instance alike.
        var guesser = await app.LoginAsync("bind-busy-0");
        var rightCode = await app.AddStaffCodeAsync("community", "gongyuanmen");

        var slowed = await BindAsync(guesser, rightCode);
        var wait = slowed.Headers.RetryAfter?.Delta;
        clock.Advance(wait ?? TimeSpan.Zero);
        var later = await BindAsync(guesser, rightCode);

        Assert.Multiple(async () =>
        {
            await ProblemAssert.IsProblem(slowed, HttpStatusCode.TooManyRequests);
            Assert.That(wait, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)), "a slowdown of seconds, not a lockout");
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK), await later.Content.ReadAsStringAsync());
        });
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
