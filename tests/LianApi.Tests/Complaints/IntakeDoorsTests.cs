using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Complaints;
using LianApi.Open311;
using LianApi.Privacy;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Complaints;

/// <summary>
/// The three doors a report comes in by — the resident's mini-program, staff recording it on a resident's behalf, a
/// partner through Open311 — store the same report for the same facts: the same place, text, location, deadline and
/// protected phone. What differs is only what the door is: its channel, its owner and what checked the text.
/// </summary>
public sealed class IntakeDoorsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(8));
    private const string Description = "小区东门路灯坏了一周，晚上看不见路";
    private const string Address = "贡院门社区东门";
    private const string Phone = "13812345678";
    private const double Latitude = 34.2611, Longitude = 108.9422;

    [Test]
    public async Task SameFacts_ThroughEachDoor_StoreTheSameReport()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = new LianApiFactory(configureServices: s => FakeClock.Use(s, clock));
        var resident = await app.LoginAsync("doors-resident");
        var recorder = await app.StaffAsync("doors-community", "community", "gongyuanmen");
        var (_, apiKey) = await app.Service<Open311KeyStore>().AddAsync("门测试", clock.GetUtcNow().UtcDateTime, CancellationToken.None);

        var own = await resident.SubmitAsync(new
        {
            communityCode = "gongyuanmen", categoryCode = "sanitation", description = Description, address = Address,
            location = new { latitude = Latitude, longitude = Longitude }, contactPhone = Phone,
        });
        var recorded = await Send(recorder, HttpMethod.Post, "/api/staff/complaints", JsonContent.Create(new
        {
            channel = "door_knock", communityCode = "gongyuanmen", categoryCode = "sanitation", description = Description, address = Address,
            location = new { latitude = Latitude, longitude = Longitude }, residentPhone = Phone,
        }));
        var partner = await app.CreateClient().PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = apiKey, ["service_code"] = "sanitation", ["address_id"] = "gongyuanmen", ["description"] = Description,
            ["address_string"] = Address, ["lat"] = "34.2611", ["long"] = "108.9422", ["phone"] = Phone,
        }));

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), await own.Content.ReadAsStringAsync());
        Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await recorded.Content.ReadAsStringAsync());
        Assert.That(partner.StatusCode, Is.EqualTo(HttpStatusCode.Created), await partner.Content.ReadAsStringAsync());
        var numbers = new[]
        {
            (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!,
            (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!,
            (await partner.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("service_request_id").GetString()!,
        };
        var stored = numbers.Select(app.Case).ToArray();
        var phones = new List<string>();
        foreach (var c in stored)
        {
            var protectedPhone = await app.Service<ComplaintStore>().RevealPhoneAsync(c.Id, staffId: 1, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
            phones.Add(app.Service<PhoneProtector>().Unprotect(protectedPhone!));
        }

        Assert.Multiple(() =>
        {
            foreach (var c in stored)
            {
                // The same report, whichever door it came through.
                Assert.That(Facts(c), Is.EqualTo(Facts(stored[0])), c.Channel);
            }
            Assert.That(phones, Is.All.EqualTo(Phone));
            Assert.That(stored[0].ContactPhoneMasked, Is.EqualTo(PhoneProtector.Mask(Phone)));
            // What each door is.
            Assert.That(stored.Select(c => c.Channel), Is.EqualTo(new[] { Channels.MiniProgram, Channels.DoorKnock, Channels.Open311 }));
            Assert.That(stored.Select(c => c.ContentUnchecked), Is.EqualTo(new[] { false, false, true }), "only a partner's text goes unchecked by WeChat");
            Assert.That(stored[2].Partner, Is.EqualTo("门测试"));
            Assert.That(stored[1].RecordedByStaffId, Is.Not.Null);
        });
    }

    private static object Facts(Complaint c) => new
    {
        c.CommunityId, c.CategoryId, c.StreetId, c.Description, c.Address, c.Latitude, c.Longitude, c.ContactPhoneMasked, c.Anonymous,
        c.Status, c.HandlingLevel, c.HandlingUnitId, c.SubmittedAt, c.ReceivedAt, c.ResponseDueAt, c.Version, c.GridId,
    };

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, HttpContent content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }
}
