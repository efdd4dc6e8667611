using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LianApi.Tests.Complaints;

public sealed class ComplaintsApiTests
{
    [Test]
    public async Task SubmitComplaint_Valid_Returns201WithTrackingNoLocationAndDeadline()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");

        var response = await client.SubmitAsync(Requests.Complaint(category: "power-gas", phone: "13812345678"));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
            Assert.That(body.GetProperty("trackingNo").GetString(), Does.Match(@"^LH\d{8}-\d{4}$"));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/api/complaints/" + body.GetProperty("trackingNo").GetString()));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("submitted"));
            Assert.That(body.GetProperty("contactPhone").GetString(), Is.EqualTo("138****5678"));
            Assert.That(body.GetProperty("emergencyHotline").GetString(), Does.Contain("119"));
            var submitted = body.GetProperty("submittedAt").GetDateTimeOffset();
            Assert.That(body.GetProperty("dueAt").GetDateTimeOffset(), Is.EqualTo(submitted.AddHours(1)), "用电用气 must be accepted within 1 hour");
            Assert.That(body.GetProperty("timeline")[0].GetProperty("kind").GetString(), Is.EqualTo("submitted"));
        });
    }

    [Test]
    public async Task SubmitComplaint_ThenGetAndList_ShowsItToItsOwnerOnly()
    {
        await using var app = new LianApiFactory();
        var owner = await app.LoginAsync("resident-a");
        var stranger = await app.LoginAsync("resident-b");
        var created = await (await owner.SubmitAsync(Requests.Complaint())).Content.ReadFromJsonAsync<JsonElement>();
        var trackingNo = created.GetProperty("trackingNo").GetString();

        var mine = await owner.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");
        var list = await owner.GetFromJsonAsync<JsonElement>("/api/complaints/mine");
        var strangersView = await stranger.GetAsync($"/api/complaints/{trackingNo}");
        var strangersList = await stranger.GetFromJsonAsync<JsonElement>("/api/complaints/mine");

        Assert.Multiple(() =>
        {
            Assert.That(mine.GetProperty("trackingNo").GetString(), Is.EqualTo(trackingNo));
            Assert.That(list.GetProperty("items")[0].GetProperty("trackingNo").GetString(), Is.EqualTo(trackingNo));
            Assert.That(strangersList.GetProperty("items").GetArrayLength(), Is.Zero);
        });
        await ProblemAssert.IsProblem(strangersView, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task ListMyComplaints_PagesNewestFirstWithoutGapsOrRepeats()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var body = await (await client.SubmitAsync(Requests.Complaint($"第{i}个问题：路灯不亮"))).Content.ReadFromJsonAsync<JsonElement>();
            submitted.Add(body.GetProperty("trackingNo").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/complaints/mine?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(submitted).ToList()));
    }

    [Test]
    public async Task ListMyComplaints_StatusFilter_ReturnsOnlyThatStatus()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        await client.SubmitAsync(Requests.Complaint());

        var submitted = await client.GetFromJsonAsync<JsonElement>("/api/complaints/mine?status=submitted");
        var resolved = await client.GetFromJsonAsync<JsonElement>("/api/complaints/mine?status=resolved");

        Assert.Multiple(() =>
        {
            Assert.That(submitted.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
            Assert.That(resolved.GetProperty("items").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task SubmitComplaint_StoresThePhoneEncryptedNotInPlainText()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        await client.SubmitAsync(Requests.Complaint(phone: "13912345678"));

        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ContactPhoneProtected || '|' || ContactPhoneMasked FROM Complaints";
        var stored = (string)(await command.ExecuteScalarAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(stored, Does.Not.Contain("13912345678"));
            Assert.That(stored, Does.EndWith("|139****5678"));
        });
    }

    [Test]
    public async Task SubmitComplaint_WhenTheResidentExceedsTheLimit_Returns429WithRetryAfter_ButRetriesStillReplay()
    {
        await using var app = new LianApiFactory(new Dictionary<string, string?> { ["RateLimiting:SubmissionsPer10Minutes"] = "2" });
        var client = await app.LoginAsync("resident-a");
        var other = await app.LoginAsync("resident-b");

        var first = await client.SubmitAsync(Requests.Complaint(), "key-first-0001");
        await client.SubmitAsync(Requests.Complaint("第二个问题：垃圾没人清"));
        var replayOfFirst = await client.SubmitAsync(Requests.Complaint(), "key-first-0001");
        var third = await client.SubmitAsync(Requests.Complaint("第三个问题：井盖松动"));
        var othersFirst = await other.SubmitAsync(Requests.Complaint());

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(replayOfFirst.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a retry is not a new report");
            Assert.That(third.Headers.RetryAfter, Is.Not.Null);
            Assert.That(othersFirst.StatusCode, Is.EqualTo(HttpStatusCode.Created), "one resident's limit never blocks another");
        });
        await ProblemAssert.IsProblem(third, HttpStatusCode.TooManyRequests);
    }
}
