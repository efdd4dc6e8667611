using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Photos;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Photos;

/// <summary>Photos on a report and on its resolution: attached in the transaction, shown through signed links, to those who may see the case.</summary>
public sealed class PhotoAttachTests
{
    private static LianApiFactory app = null!;
    private static HttpClient resident = null!;
    private static HttpClient otherResident = null!;
    private static HttpClient community = null!;
    private static HttpClient otherCommunity = null!;
    private static HttpClient dispatcher = null!;
    private static HttpClient anonymous = null!;
    private static byte[] jpeg = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory(new Dictionary<string, string?> { ["Photos:UploadsPerHour"] = "1000" });
        resident = await app.LoginAsync("attach-resident");
        otherResident = await app.LoginAsync("attach-other-resident");
        community = await app.StaffAsync("attach-community", "community", "gongyuanmen");
        otherCommunity = await app.StaffAsync("attach-other-community", "community", "daxingdonglu");
        dispatcher = await app.StaffAsync("attach-dispatcher", "dispatcher", null);
        anonymous = new HttpClient { BaseAddress = resident.BaseAddress };
        jpeg = TestImages.Jpeg(640, 480);
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        resident.Dispose();
        otherResident.Dispose();
        community.Dispose();
        otherCommunity.Dispose();
        dispatcher.Dispose();
        anonymous.Dispose();
        await app.DisposeAsync();
    }

    [Test]
    public async Task Submit_WithPhotos_ViewsSignTheirLinksAndOnlyThoseWhoMaySeeTheCaseGetThem()
    {
        var ids = new[] { await UploadAsync(resident), await UploadAsync(resident) };

        var submitted = await resident.SubmitAsync(Report(ids));
        var body = await submitted.Content.ReadFromJsonAsync<JsonElement>();
        var trackingNo = body.GetProperty("trackingNo").GetString();
        var mine = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");
        var staffView = await community.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        var link = mine.GetProperty("photos")[0].GetProperty("url").GetString();

        Assert.Multiple(async () =>
        {
            Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
            Assert.That(Ids(mine.GetProperty("photos")), Is.EqualTo(ids));
            Assert.That(Ids(mine.GetProperty("timeline")[0].GetProperty("photos")), Is.EqualTo(ids), "on the submitted step too");
            Assert.That(Ids(staffView.GetProperty("photos")), Is.EqualTo(ids));
            Assert.That(link, Does.StartWith($"{resident.BaseAddress!.GetLeftPart(UriPartial.Authority)}/api/photos/{ids[0]}?expires="), "absolute: a relative <image src> is a path inside the mini-program's package");
            Assert.That((await anonymous.GetAsync(link)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the resident's signed link");
            Assert.That((await anonymous.GetAsync(staffView.GetProperty("photos")[1].GetProperty("thumbUrl").GetString())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await resident.GetAsync($"/api/photos/{ids[0]}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the reporter");
            Assert.That((await community.GetAsync($"/api/photos/{ids[0]}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the community holding it");
            Assert.That((await dispatcher.GetAsync($"/api/photos/{ids[0]}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the dispatch center");
            await ProblemAssert.IsProblem(await otherCommunity.GetAsync($"/api/photos/{ids[0]}"), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await otherResident.GetAsync($"/api/photos/{ids[0]}"), HttpStatusCode.NotFound);
        });
    }

    [Test]
    public async Task Submit_TenPhotos_Is422()
    {
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await UploadAsync(resident));
        }

        var response = await resident.SubmitAsync(Report(ids.ToArray()));

        Assert.That((await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString(), Is.EqualTo("too_many_photos"));
    }

    [Test]
    public async Task Submit_AnotherResidentsPhoto_Is422NamingItAndFilesNothing()
    {
        var mine = await UploadAsync(resident);
        var theirs = await UploadAsync(otherResident);
        var before = (await resident.GetFromJsonAsync<JsonElement>("/api/complaints/mine")).GetProperty("items").GetArrayLength();

        var response = await resident.SubmitAsync(Report(mine, theirs));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity);
        var after = (await resident.GetFromJsonAsync<JsonElement>("/api/complaints/mine")).GetProperty("items").GetArrayLength();
        Assert.Multiple(async () =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("photo_not_attachable"));
            Assert.That(problem.GetProperty("errors").GetProperty("photoIds")[0].GetString(), Does.Contain(theirs));
            Assert.That(after, Is.EqualTo(before), "the report's transaction rolled back");
            Assert.That((await resident.SubmitAsync(Report(mine))).StatusCode, Is.EqualTo(HttpStatusCode.Created), "my photo is still free to attach");
        });
    }

    [Test]
    public async Task Submit_PhotoAttachedAlready_Is422()
    {
        var id = await UploadAsync(resident);
        (await resident.SubmitAsync(Report(id))).EnsureSuccessStatusCode();

        var again = await resident.SubmitAsync(Report(id));

        Assert.That((await ProblemAssert.IsProblem(again, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString(), Is.EqualTo("photo_not_attachable"));
    }

    [Test]
    public async Task Submit_SameKeyOtherPhotos_IsAKeyReused()
    {
        var (first, second) = (await UploadAsync(resident), await UploadAsync(resident));
        var key = Guid.NewGuid().ToString();
        (await resident.SubmitAsync(Report(first), key)).EnsureSuccessStatusCode();

        var replay = await resident.SubmitAsync(Report(first), key);
        var changed = await resident.SubmitAsync(Report(second), key);

        Assert.Multiple(async () =>
        {
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(replay.Headers.Contains("Idempotent-Replayed"), Is.True);
            Assert.That((await ProblemAssert.IsProblem(changed, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString(), Is.EqualTo("idempotency_key_reused"));
        });
    }

    [Test]
    public async Task Resolve_CategoryRequiringAPhoto_IsRefusedWithoutAndTheResidentSeesTheOneSentWith()
    {
        var trackingNo = await resident.FileAsync(category: "roof-leak");
        (await community.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        var proof = await UploadAsync(community);

        var withoutPhoto = await community.ActAsync(trackingNo, "resolve", new { reply = "已修补屋顶" });
        var residentsPhoto = await community.ActAsync(trackingNo, "resolve", new { reply = "已修补屋顶", photoIds = new[] { await UploadAsync(resident) } });
        var resolved = await community.ActAsync(trackingNo, "resolve", new { reply = "已修补屋顶", photoIds = new[] { proof } });
        var view = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");
        var step = view.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "resolved");

        Assert.Multiple(async () =>
        {
            Assert.That((await ProblemAssert.IsProblem(withoutPhoto, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString(), Is.EqualTo("resolution_photo_required"));
            Assert.That((await ProblemAssert.IsProblem(residentsPhoto, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString(), Is.EqualTo("photo_not_attachable"));
            Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resolved.Content.ReadAsStringAsync());
            Assert.That(Ids(step.GetProperty("photos")), Is.EqualTo(new[] { proof }), "办结照片 on the resident's timeline");
            Assert.That((await anonymous.GetAsync(step.GetProperty("photos")[0].GetProperty("url").GetString())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await resident.GetAsync($"/api/photos/{proof}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the resident sees the staff's photo of their case");
        });
    }

    [Test]
    public async Task Note_WithPhotos_Is422()
    {
        var trackingNo = await resident.FileAsync();

        var response = await community.ActAsync(trackingNo, "note", new { note = "现场已查看", photoIds = new[] { await UploadAsync(community) } });

        await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task RiskyPhoto_IsShownToTheDispatchCenterOnly()
    {
        var id = await UploadAsync(resident);
        var trackingNo = (await (await resident.SubmitAsync(Report(id))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString();
        var link = (await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}")).GetProperty("photos")[0].GetProperty("url").GetString();

        await app.Service<PhotoStore>().SetModerationAsync(id, Moderation.Risky, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            await ProblemAssert.IsProblem(await resident.GetAsync($"/api/photos/{id}"), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await community.GetAsync($"/api/photos/{id}"), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await anonymous.GetAsync(link), HttpStatusCode.NotFound);
            Assert.That((await dispatcher.GetAsync($"/api/photos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    private static object Report(params string[] photoIds) =>
        new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "楼道堆满杂物，堵住了消防通道", photoIds };

    private static async Task<string> UploadAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/photos", TestImages.Form(jpeg));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static string[] Ids(JsonElement photos) => photos.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();
}
