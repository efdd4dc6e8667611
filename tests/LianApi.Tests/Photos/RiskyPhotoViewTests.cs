using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Photos;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Photos;

/// <summary>
/// A photo WeChat's check found risky is served to the dispatch center only; the resident's own view of the report
/// leaves it out instead of listing links that answer 404 (issue 23 §8).
/// </summary>
public sealed class RiskyPhotoViewTests
{
    [Test]
    public async Task ResidentsOwnView_LeavesOutARiskyPhoto_AndKeepsTheOthers()
    {
        await using var app = new LianApiFactory();
        using var resident = await app.LoginAsync("risky-view-resident");
        async Task<string> UploadAsync()
        {
            var response = await resident.PostAsync("/api/photos", TestImages.Form(TestImages.Jpeg(64, 48)));
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        var (kept, risky) = (await UploadAsync(), await UploadAsync());
        var filed = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "楼道灯坏了三天", photoIds = new[] { kept, risky } });
        Assert.That(filed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await filed.Content.ReadAsStringAsync());
        var trackingNo = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        await app.Service<PhotoStore>().SetModerationAsync(risky, Moderation.Risky, CancellationToken.None);

        var view = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");
        var photos = view.GetProperty("photos").EnumerateArray().ToList();
        var timelinePhotos = view.GetProperty("timeline").EnumerateArray().SelectMany(e => e.GetProperty("photos").EnumerateArray()).ToList();

        Assert.Multiple(async () =>
        {
            Assert.That(photos.Select(p => p.GetProperty("id").GetString()), Is.EqualTo(new[] { kept }));
            Assert.That(timelinePhotos.Select(p => p.GetProperty("id").GetString()), Is.EqualTo(new[] { kept }));
            Assert.That((await resident.GetAsync(photos[0].GetProperty("url").GetString())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
