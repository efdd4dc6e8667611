using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>The whole 民呼我行 story through HTTP, told back by the timeline.</summary>
public sealed class ResponseChainStoryTests
{
    [Test]
    public async Task FullStory_FromReportThroughTheChainToASatisfiedClose_TimelineTellsExactlyThatStory()
    {
        await using var app = new LianApiFactory();
        await app.AddDepartmentsAsync(("test-housing", "测试住建局"), ("test-utilities", "测试市政局"));
        var resident = await app.LoginAsync("story-resident");
        var community = await app.StaffAsync("story-community", "community", "gongyuanmen");
        var street = await app.StaffAsync("story-street", "street", "beiyuanmen");
        var dispatcher = await app.StaffAsync("story-dispatcher", "dispatcher", null);
        var housing = await app.StaffAsync("story-housing", "department", "test-housing");
        var utilities = await app.StaffAsync("story-utilities", "department", "test-utilities");
        var no = await resident.FileAsync();

        async Task Step(HttpClient who, string action, object? body = null)
        {
            var response = await who.ActAsync(no, action, body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{action}: {await response.Content.ReadAsStringAsync()}");
        }

        async Task Rate(bool resolved, string satisfaction)
        {
            var response = await resident.PostAsJsonAsync($"/api/complaints/{no}/evaluation", new { resolved, satisfaction, comment = "评价" });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        await Step(community, "accept");
        await Step(community, "escalate", new { reason = "涉及多个小区，需街道协调" });
        await Step(street, "escalate", new { reason = "需区级部门处理（吹哨）" });
        await Step(dispatcher, "dispatch", new { target = new { level = "department", code = "test-housing" } });
        await Step(housing, "return", new { reason = "不属于本部门职责" });
        await Step(dispatcher, "dispatch", new { target = new { level = "department", code = "test-utilities" } });
        await Step(utilities, "accept");
        await Step(utilities, "resolve", new { reply = "已更换电梯主板，恢复运行" });
        Assert.That(await resident.StatusOfAsync(no), Is.EqualTo("resolved"));
        await Rate(resolved: false, "unsatisfied");
        Assert.That(await resident.StatusOfAsync(no), Is.EqualTo("in_progress"), "发回重办 to the department that resolved it");
        await Step(utilities, "resolve", new { reply = "已联系厂家彻底检修并加装监控" });
        await Rate(resolved: true, "satisfied");

        var publicView = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{no}");
        var staffView = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{no}");
        Assert.Multiple(() =>
        {
            Assert.That(publicView.GetProperty("status").GetString(), Is.EqualTo("closed"));
            Assert.That(publicView.Kinds(), Is.EqualTo(new[]
            {
                "submitted",
                "accepted",
                "escalated", "received",          // community → street
                "escalated", "received",          // street → dispatch center
                "dispatched", "received",         // → 测试住建局, who returns it (internal, below)
                "dispatched", "received",         // → 测试市政局
                "accepted", "resolved",
                "evaluated", "reopened",          // unsatisfied: 发回重办
                "resolved",
                "evaluated", "closed",
            }));
            Assert.That(staffView.Kinds(), Does.Contain("returned"), "staff see the return and its reason");
            Assert.That(publicView.Kinds(), Does.Not.Contain("returned"), "residents never see internal steps");
            Assert.That(publicView.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("unit").GetString()),
                Has.Some.EqualTo("北院门街道").And.Some.EqualTo("测试市政局").And.None.EqualTo("测试员"),
                "the resident sees units, never the people in them");
        });
    }

    [Test]
    public async Task Reopen_ThirdTime_GoesToTheDispatchCenterSupervised()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("reopen-resident");
        var community = await app.StaffAsync("reopen-community", "community", "gongyuanmen");
        var dispatcher = await app.StaffAsync("reopen-dispatcher", "dispatcher", null);
        var no = await resident.FileAsync();
        await community.ActAsync(no, "accept");

        for (var round = 1; round <= 3; round++)
        {
            var resolve = await community.ActAsync(no, "resolve", new { reply = $"第{round}次处理完毕" });
            Assert.That(resolve.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resolve.Content.ReadAsStringAsync());
            await resident.PostAsJsonAsync($"/api/complaints/{no}/evaluation", new { resolved = false, satisfaction = "unsatisfied" });
        }

        var state = app.Case(no);
        var inbox = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?level=district");
        Assert.Multiple(() =>
        {
            Assert.That(state.ReopenCount, Is.EqualTo(3));
            Assert.That(state.HandlingLevel, Is.EqualTo("district"));
            Assert.That(state.IsSupervised, Is.True);
            Assert.That(inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Has.Member(no));
        });
    }

    [Test]
    public async Task Dispatch_ToAnotherStreet_ThatStreetSeesAndHandlesIt()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("elsewhere-resident");
        var community = await app.StaffAsync("elsewhere-community", "community", "gongyuanmen");
        var ownStreet = await app.StaffAsync("elsewhere-street", "street", "beiyuanmen");
        var dispatcher = await app.StaffAsync("elsewhere-dispatcher", "dispatcher", null);
        var otherStreet = await app.StaffAsync("elsewhere-other-street", "street", "qingnianlu");
        var no = await resident.FileAsync();
        await community.ActAsync(no, "escalate", new { reason = "跨街道问题" });
        await ownStreet.ActAsync(no, "escalate", new { reason = "需要青年路街道处理" });

        var dispatched = await dispatcher.ActAsync(no, "dispatch", new { target = new { level = "street", code = "qingnianlu" } });
        var inbox = await otherStreet.GetFromJsonAsync<JsonElement>("/api/staff/complaints");
        var accepted = await otherStreet.ActAsync(no, "accept");

        Assert.Multiple(() =>
        {
            Assert.That(dispatched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Has.Member(no));
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the unit holding a case can act on it");
        });
    }
}
