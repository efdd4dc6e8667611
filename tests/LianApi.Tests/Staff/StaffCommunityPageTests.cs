using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>
/// The community page staff route with (GET /api/staff/communities/{code}): a volunteer acts on no case, so it sees the
/// units and grids but not the grid workers, who are named people (issue 23 §8).
/// </summary>
public sealed class StaffCommunityPageTests
{
    [Test]
    public async Task Volunteer_SeesGridsAndDepartments_ButNoGridWorkersNames()
    {
        await using var app = new LianApiFactory();
        await app.AddGridsAsync("gongyuanmen", ("g1", "一网格"));
        using var gridWorker = await app.StaffAsync("page-grid", "community", "gongyuanmen", gridCode: "g1", name: "李网格");
        using var community = await app.StaffAsync("page-community", "community", "gongyuanmen");
        using var volunteer = await app.StaffAsync("page-volunteer", "volunteer", "gongyuanmen");

        var staffView = await community.GetFromJsonAsync<JsonElement>("/api/staff/communities/gongyuanmen");
        var volunteerView = await volunteer.GetFromJsonAsync<JsonElement>("/api/staff/communities/gongyuanmen");

        Assert.Multiple(() =>
        {
            Assert.That(staffView.GetProperty("gridWorkers").EnumerateArray().Select(w => w.GetProperty("name").GetString()), Is.EqualTo(new[] { "李网格" }));
            Assert.That(volunteerView.GetProperty("grids").GetArrayLength(), Is.EqualTo(1));
            Assert.That(volunteerView.GetProperty("gridWorkers").GetArrayLength(), Is.Zero);
            Assert.That(volunteerView.GetRawText(), Does.Not.Contain("李网格"));
        });
    }
}
