using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Complaints;

/// <summary>
/// What the database keeps across releases (idempotency rows, stored resident views) must not break when a response
/// type gains or loses a field: rows written by an earlier shape are read here as a later release meets them.
/// </summary>
public sealed class StoredShapeTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [Test]
    public async Task Submit_RetryOfAKeyStoredByThePreviousShape_ReplaysTheReportAsItIsNow()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-old-shape");
        var first = await client.SubmitAsync(Requests.Complaint(), "old-shape-key-0001");
        var trackingNo = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        // Until this release an idempotency row held the whole answer (an API object) and a URL: a field since removed
        // ("legacyField") and one the old shape lacked are what a replay must survive.
        await ExecuteAsync(app, """
            UPDATE IdempotencyKeys SET Location = @Location, ResponseBody = @Body WHERE IdempotencyKey = 'old-shape-key-0001'
            """, new { Location = $"/api/complaints/{trackingNo}", Body = """{"trackingNo":"X","legacyField":1}""" });

        var retry = await client.SubmitAsync(Requests.Complaint(), "old-shape-key-0001");

        var body = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
            Assert.That(retry.Headers.Location?.ToString(), Is.EqualTo($"/api/complaints/{trackingNo}"));
            Assert.That(body.GetProperty("trackingNo").GetString(), Is.EqualTo(trackingNo));
            Assert.That(body.TryGetProperty("legacyField", out _), Is.False);
            Assert.That(body.GetProperty("timeline").GetArrayLength(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetMyComplaint_ViewStoredByAnOlderShape_IsRenderedAgainFromTheRows()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-old-view");
        var created = await (await client.SubmitAsync(Requests.Complaint(phone: "13812345678"))).Content.ReadFromJsonAsync<JsonElement>();
        var trackingNo = created.GetProperty("trackingNo").GetString()!;
        await ExecuteAsync(app, "UPDATE Complaints SET ResidentView = @View, ResidentViewVersion = @Version WHERE TrackingNo = @TrackingNo",
            new { View = """{"trackingNo":"stale","legacyField":1}""", Version = ComplaintStore.ResidentViewVersion - 1, TrackingNo = trackingNo });

        var response = await client.GetAsync($"/api/complaints/{trackingNo}");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(JsonNode(body), Is.EqualTo(JsonNode(created.GetRawText())), "the same answer as the current shape gives");
        });
    }

    [Test]
    public async Task GetMyComplaint_CurrentView_IsServedAsStored()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-current-view");
        var trackingNo = (await (await client.SubmitAsync(Requests.Complaint())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        var stored = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT ResidentView FROM Complaints WHERE TrackingNo = @TrackingNo", new { TrackingNo = trackingNo }, cancellationToken: Ct)), Ct);

        var response = await client.GetAsync($"/api/complaints/{trackingNo}");

        Assert.Multiple(async () =>
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(stored), "byte for byte: no parse and serialize per read");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        });
    }

    private static string JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString();

    private static Task ExecuteAsync(LianApiFactory app, string sql, object parameters) =>
        app.Service<Database>().WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: Ct)), Ct);
}

/// <summary>Tracking numbers are read out on the phone and typed in by hand: case never matters.</summary>
public sealed class TrackingNumberTests
{
    [Test]
    public async Task GetMyComplaint_TrackingNumberInLowerCase_FindsTheReport()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-lower-case");
        var trackingNo = (await (await client.SubmitAsync(Requests.Complaint())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        using var staff = await app.StaffAsync("lower-case-staff", "community", "gongyuanmen");

        var resident = await client.GetAsync($"/api/complaints/{trackingNo.ToLowerInvariant()}");
        var staffView = await staff.GetAsync($"/api/staff/complaints/{trackingNo.ToLowerInvariant()}");

        Assert.Multiple(() =>
        {
            Assert.That(resident.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(staffView.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
