using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using LianApi.Complaints;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LianApi.Tests.Complaints;

/// <summary>
/// The resident's view is ready to display: every step has a Chinese kindLabel, the status never goes back within a
/// round of handling (an escalation after acceptance shows 已受理 · 上报街道, not 待受理), and handledBy names the unit
/// holding the case. The list and the detail tell the same status, and the list's status filter means that status.
/// </summary>
public sealed class ResidentStatusTests
{
    private static readonly string[] Statuses = ["submitted", "accepted", "in_progress", "resolved", "closed", "rejected"];

    [Test]
    public async Task Escalate_AfterAcceptance_ResidentSeesAcceptedAndWhereItWentStaffSeeSubmitted()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("status-escalated-resident");
        using var community = await app.StaffAsync("status-escalated-community", "community", "gongyuanmen");
        var no = await resident.FileAsync();
        (await community.ActAsync(no, "accept")).EnsureSuccessStatusCode();

        (await community.ActAsync(no, "escalate", new { reason = "需要街道协调" })).EnsureSuccessStatusCode();

        var detail = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{no}");
        var staff = await community.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{no}");
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("status").GetString(), Is.EqualTo("accepted"));
            Assert.That(detail.GetProperty("statusLabel").GetString(), Is.EqualTo("已受理 · 上报街道"));
            Assert.That(detail.GetProperty("handledBy").GetProperty("level").GetString(), Is.EqualTo("street"));
            Assert.That(detail.GetProperty("handledBy").GetProperty("unitName").GetString(), Is.EqualTo("北院门街道"));
            Assert.That(Timeline(detail, "status"), Is.EqualTo(new[] { "submitted", "accepted", "accepted", "accepted" }),
                "the received step does not show 待受理 again");
            Assert.That(Timeline(detail, "kindLabel"), Is.EqualTo(new[] { "已提交", "已受理", "已上报", "已接收" }));
            Assert.That(staff.GetProperty("status").GetString(), Is.EqualTo("submitted"), "staff see the real status: the street has to accept it");
            Assert.That(staff.GetProperty("statusLabel").GetString(), Is.EqualTo("待受理"));
        });
    }

    [Test]
    public async Task WholeChain_EveryStep_ResidentStatusNeverGoesBackInARoundAndListEqualsDetail()
    {
        await using var app = new LianApiFactory();
        await app.AddDepartmentsAsync(("status-housing", "测试房管局"), ("status-water", "测试水务局"));
        var resident = await app.LoginAsync("status-chain-resident");
        using var community = await app.StaffAsync("status-chain-community", "community", "gongyuanmen");
        using var street = await app.StaffAsync("status-chain-street", "street", "beiyuanmen");
        using var dispatcher = await app.StaffAsync("status-chain-dispatcher", "dispatcher", null);
        using var housing = await app.StaffAsync("status-chain-housing", "department", "status-housing");
        using var water = await app.StaffAsync("status-chain-water", "department", "status-water");
        var no = await resident.FileAsync();
        var seen = new List<(string Step, string Status, string Label, string Level, string Unit)>();

        async Task Expect(string step, string status, string label, string level, string unit)
        {
            var detail = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{no}");
            var item = (await resident.GetFromJsonAsync<JsonElement>("/api/complaints/mine")).GetProperty("items")[0];
            var handledBy = detail.GetProperty("handledBy");
            seen.Add((step, detail.GetProperty("status").GetString()!, detail.GetProperty("statusLabel").GetString()!,
                handledBy.GetProperty("level").GetString()!, handledBy.GetProperty("unitName").GetString()!));
            var staffDueAt = (await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{no}")).GetProperty("dueAt");
            Assert.Multiple(async () =>
            {
                Assert.That(seen[^1], Is.EqualTo((step, status, label, level, unit)), step);
                Assert.That(detail.GetProperty("dueAt").GetRawText(), Is.EqualTo(staffDueAt.GetRawText()), $"{step}: dueAt means the same for resident and staff");
                Assert.That(detail.GetProperty("dueAt").ValueKind == JsonValueKind.Null, Is.EqualTo(status is "resolved" or "closed" or "rejected"),
                    $"{step}: dueAt is null exactly once resolved");
                foreach (var field in new[] { "status", "statusLabel", "handledBy", "dueAt" })
                {
                    Assert.That(item.GetProperty(field).GetRawText(), Is.EqualTo(detail.GetProperty(field).GetRawText()), $"{step}: list {field}");
                }
                foreach (var filter in Statuses)
                {
                    var found = (await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/mine?status={filter}")).GetProperty("items").GetArrayLength();
                    Assert.That(found, Is.EqualTo(filter == status ? 1 : 0), $"{step}: ?status={filter}");
                }
            });
        }

        async Task Act(HttpClient who, string action, object? body = null)
        {
            var response = await who.ActAsync(no, action, body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{action}: {await response.Content.ReadAsStringAsync()}");
        }

        async Task Rate(bool resolved, string satisfaction) =>
            (await resident.PostAsJsonAsync($"/api/complaints/{no}/evaluation", new { resolved, satisfaction })).EnsureSuccessStatusCode();

        await Expect("submitted", "submitted", "待受理", "community", "贡院门社区");
        await Act(community, "accept");
        await Expect("accepted", "accepted", "已受理", "community", "贡院门社区");
        await Act(community, "start");
        await Expect("started", "in_progress", "处理中", "community", "贡院门社区");
        await Act(community, "escalate", new { reason = "需要街道协调" });
        await Expect("escalated to the street", "in_progress", "处理中 · 上报街道", "street", "北院门街道");
        await Act(street, "escalate", new { reason = "需要区里协调" });
        await Expect("escalated to the center", "in_progress", "处理中 · 上报区调度中心", "district", "区调度中心");
        await Act(dispatcher, "dispatch", new { target = new { level = "department", code = "status-housing" } });
        await Expect("dispatched", "in_progress", "处理中 · 转派部门", "department", "测试房管局");
        await Act(housing, "return", new { reason = "不属于本部门职责" });
        await Expect("returned (internal)", "in_progress", "处理中 · 上报区调度中心", "district", "区调度中心");
        await Act(dispatcher, "dispatch", new { target = new { level = "department", code = "status-water" } });
        await Act(water, "accept");
        await Expect("accepted by the department", "in_progress", "处理中", "department", "测试水务局");
        await Act(water, "resolve", new { reply = "已维修" });
        await Expect("resolved", "resolved", "已办结", "department", "测试水务局");
        await Rate(resolved: false, "unsatisfied");
        await Expect("reopened: a new round", "in_progress", "处理中", "department", "测试水务局");
        await Act(water, "return", new { reason = "需要房管局配合" });
        await Expect("returned in the new round", "in_progress", "处理中 · 上报区调度中心", "district", "区调度中心");
        await Act(dispatcher, "accept");
        await Act(dispatcher, "resolve", new { reply = "已协调两部门处理完毕" });
        await Rate(resolved: true, "satisfied");
        await Expect("closed", "closed", "已归档", "district", "区调度中心");

        var ranks = seen.Select(s => Array.IndexOf(Statuses, s.Status)).ToList();
        var round = seen.FindIndex(s => s.Step.StartsWith("reopened", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(ranks.Take(round), Is.Ordered, "first round: never backwards");
            Assert.That(ranks.Skip(round), Is.Ordered, "second round: never backwards");
        });
    }

    [Test]
    public async Task AutoEscalation_NobodyAccepted_ResidentSeesStillWaitingAndWhere()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        var resident = await app.LoginAsync("status-auto-resident");
        var no = await resident.FileAsync();
        clock.Advance(app.Case(no).ResponseDueAt - clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1));

        await app.Service<DeadlineSweep>().RunOnceAsync(CancellationToken.None);

        var detail = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{no}");
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("status").GetString(), Is.EqualTo("submitted"), "never accepted: 待受理 is the truth");
            Assert.That(detail.GetProperty("statusLabel").GetString(), Is.EqualTo("待受理 · 上报街道"));
            Assert.That(detail.GetProperty("handledBy").GetProperty("unitName").GetString(), Is.EqualTo("北院门街道"));
            Assert.That(Timeline(detail, "kindLabel"), Is.EqualTo(new[] { "已提交", "超时自动上报", "已接收" }));
        });
    }

    [Test]
    public void Of_ThirdReopenToTheDispatchCenter_StartsTheNewRoundAtSubmitted()
    {
        ComplaintEventRow E(string kind, string status) => new() { Kind = kind, Status = status, IsPublic = true };
        var events = new[]
        {
            E(EventKinds.Submitted, "submitted"), E(EventKinds.Accepted, "accepted"), E(EventKinds.Started, "in_progress"),
            E(EventKinds.Resolved, "resolved"), E(EventKinds.Evaluated, "submitted"), E(EventKinds.Reopened, "submitted"),
            E(EventKinds.Received, "submitted"),
        };

        Assert.Multiple(() =>
        {
            Assert.That(ResidentStatus.RoundProgress(events), Is.Zero);
            Assert.That(ResidentStatus.Of("submitted", ResidentStatus.RoundProgress(events)), Is.EqualTo("submitted"));
            Assert.That(ResidentStatus.RoundProgress(events.Take(3)), Is.EqualTo(2));
            Assert.That(ResidentStatus.Of("submitted", ResidentStatus.RoundProgress(events.Take(3))), Is.EqualTo("in_progress"));
            Assert.That(ResidentStatus.Of("rejected", 2), Is.EqualTo("rejected"), "terminal statuses are shown as they are");
            Assert.That(ResidentStatus.Of("resolved", 2), Is.EqualTo("resolved"));
        });
    }

    [Test]
    public void KindLabels_EveryEventKind_HasAChineseLabelAndTheSpecListsThemAll()
    {
        var kinds = typeof(EventKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(EventKinds.Description)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var listed = EventKinds.Description.Split(':', 2)[1].Split('.')[0].Split(',').Select(k => k.Trim()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(EventKinds.Labels.Keys, Is.EquivalentTo(kinds));
            Assert.That(EventKinds.All, Is.EqualTo(kinds), "All, the spec's enum, lists every kind, in order");
            Assert.That(EventKinds.Labels.Values, Has.All.Matches<string>(l => l.Any(c => c >= '\u4e00' && c <= '\u9fff')));
            Assert.That(listed, Is.EqualTo(kinds), "the spec's description of kind lists every kind, in order");
        });
    }

    [Test]
    public async Task StaffTimeline_EveryEntry_HasItsKindLabel()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("status-staff-labels-resident");
        using var community = await app.StaffAsync("status-staff-labels", "community", "gongyuanmen");
        var no = await resident.FileAsync();
        await community.ActAsync(no, "note", new { note = "已电话联系" });

        var staff = await community.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{no}");

        Assert.That(Timeline(staff, "kindLabel"), Is.EqualTo(new[] { "已提交", "内容安全检测", "内部备注" }), "the content check is an internal step");
    }

    private static string[] Timeline(JsonElement complaint, string field) =>
        complaint.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty(field).GetString()!).ToArray();
}
