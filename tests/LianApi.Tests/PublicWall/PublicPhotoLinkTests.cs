using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Photos;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Photos;

namespace LianApi.Tests.PublicWall;

/// <summary>
/// A withdrawn case leaves the public at once, its photos too (issue 23 §7): the wall's and Open311's signed links stop
/// working the moment the case is unpublished, long before they expire; the staff's own links keep working.
/// </summary>
public sealed class PublicPhotoLinkTests
{
    [Test]
    public async Task Unpublish_RevokesThePublicPhotoLinksAtOnce_ButNotTheStaffsOwn()
    {
        await using var app = new LianApiFactory();
        using var anonymous = app.CreateClient();
        using var resident = await app.LoginAsync("link-resident");
        using var community = await app.StaffAsync("link-community", "community", "gongyuanmen");
        using var dispatcher = await app.StaffAsync("link-dispatcher", "dispatcher", null);
        var filed = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "楼道灯坏了三天", publicConsent = true });
        var trackingNo = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        var upload = await community.PostAsync("/api/photos", TestImages.Form(TestImages.Jpeg(64, 48)));
        var photoId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await app.Service<PhotoStore>().SetModerationAsync(photoId, Moderation.Pass, CancellationToken.None);
        (await community.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        (await community.ActAsync(trackingNo, "resolve", new { reply = "已更换灯泡", photoIds = new[] { photoId } })).EnsureSuccessStatusCode();

        var wall = await anonymous.GetFromJsonAsync<JsonElement>("/api/public/cases");
        var photo = wall.GetProperty("items")[0].GetProperty("photos")[0];
        var open311 = await anonymous.GetFromJsonAsync<JsonElement>($"/open311/v2/requests/{trackingNo}.json");
        var mediaUrl = open311[0].GetProperty("media_url").GetString()!;
        var publicLinks = new[] { photo.GetProperty("url").GetString()!, photo.GetProperty("thumbUrl").GetString()!, new Uri(mediaUrl).PathAndQuery };
        var before = await Task.WhenAll(publicLinks.Select(anonymous.GetAsync));
        var staffView = await community.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        var staffLink = staffView.GetProperty("timeline").EnumerateArray().SelectMany(e => e.GetProperty("photos").EnumerateArray())
            .Single().GetProperty("url").GetString()!;

        (await dispatcher.ActAsync(trackingNo, "unpublish", new { reason = "居民来电要求撤下" })).EnsureSuccessStatusCode();
        var after = await Task.WhenAll(publicLinks.Select(anonymous.GetAsync));
        var staffAfter = await anonymous.GetAsync(staffLink);

        Assert.Multiple(() =>
        {
            Assert.That(before.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK), "published: the links work without a token");
            Assert.That(after.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.NotFound), "withdrawn: the public links are dead at once");
            Assert.That(staffAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the staff's own link is not a public one");
        });
    }
}
