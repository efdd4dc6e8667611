using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Notifications;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Notifications;

/// <summary>Templates for the front-end, consents from both sources, the staff inbox message, the outbox for ops.</summary>
public sealed class NotificationsApiTests : NotificationAppTest
{
    [Test]
    public async Task Templates_ListTheConfiguredOnesForResidentsAndStaff()
    {
        using var resident = await App.LoginAsync("templates-resident");

        var templates = await resident.GetFromJsonAsync<JsonElement>("/api/notifications/templates", Ct);

        Assert.Multiple(() =>
        {
            Assert.That(templates.GetProperty("afterSubmit").EnumerateArray().Select(t => t.GetString()),
                Is.EqualTo(new[] { NotificationTestApp.Accepted, NotificationTestApp.Resolved }));
            Assert.That(templates.GetProperty("afterBinding").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { NotificationTestApp.Inbox }));
            Assert.That(templates.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("event").GetString()),
                Is.EqualTo(new[] { "complaint_accepted", "complaint_resolved", "staff_case_received" }), "events without a template are not listed");
        });
    }

    [Test]
    public async Task Consents_CountAcceptsZeroRejectsAndIgnoreUnknownTemplates()
    {
        using var resident = await App.LoginAsync("consents-resident");

        var first = await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"), (NotificationTestApp.Resolved, "accept"), ("tmpl-unknown", "accept"));
        var second = await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"), (NotificationTestApp.Resolved, "reject"));

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("accepted").EnumerateArray().Select(a => a.GetString()),
                Is.EquivalentTo(new[] { NotificationTestApp.Accepted, NotificationTestApp.Resolved }));
            var credits = second.GetProperty("credits").EnumerateArray()
                .ToDictionary(c => c.GetProperty("templateId").GetString()!, c => c.GetProperty("credits").GetInt32());
            Assert.That(credits, Is.EqualTo(new Dictionary<string, int> { [NotificationTestApp.Accepted] = 2, [NotificationTestApp.Resolved] = 0 }));
        });
    }

    [Test]
    public async Task Consents_TooManyEntries_AreAProblemInChinese()
    {
        using var resident = await App.LoginAsync("consents-too-many");
        var body = Enumerable.Range(0, 30).ToDictionary(i => $"tmpl-{i}", _ => "accept");

        var response = await resident.PostAsJsonAsync("/api/notifications/consents", body, Ct);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("validation_failed"));
            Assert.That(problem.GetProperty("errors").GetProperty("$")[0].GetString(), Does.Contain("wx.requestSubscribeMessage"));
        });
    }

    [Test]
    public async Task PopupPushAndClientPost_ForTheSameTap_CountOneCredit_AndAPushAppliedTwiceCountsOnce()
    {
        using var resident = await App.LoginAsync("pairing-resident");
        var handler = App.Service<ConsentPushHandler>();
        var push = JsonDocument.Parse($$"""
            {"ToUserName":"gh_1","FromUserName":"o-pairing-resident","CreateTime":1764640000,"MsgType":"event","Event":"subscribe_msg_popup_event",
             "List":[{"TemplateId":"{{NotificationTestApp.Accepted}}","SubscribeStatusString":"accept","PopupScene":"0"}]}
            """).RootElement;

        await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        await handler.HandleAsync("popup:o-pairing-resident:1764640000", push, Ct);
        await handler.HandleAsync("popup:o-pairing-resident:1764640000", push, Ct);
        var afterOneTap = await App.CreditsOfAsync("pairing-resident");
        // A second tap a little later, heard by the push only.
        Clock.Advance(TimeSpan.FromMinutes(5));
        await handler.HandleAsync("popup:o-pairing-resident:1764640300", push, Ct);
        var afterTwoTaps = await App.CreditsOfAsync("pairing-resident");

        Assert.Multiple(() =>
        {
            Assert.That(afterOneTap, Is.EqualTo(1), "the POST and the push of one tap are one credit");
            Assert.That(afterTwoTaps, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task ChangeEventReject_ZeroesTheCredits()
    {
        using var resident = await App.LoginAsync("change-resident");
        await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        var change = JsonDocument.Parse($$"""
            {"FromUserName":"o-change-resident","CreateTime":1764640000,"MsgType":"event","Event":"subscribe_msg_change_event",
             "List":{"TemplateId":"{{NotificationTestApp.Accepted}}","SubscribeStatusString":"reject"} }
            """).RootElement;

        await App.Service<ConsentPushHandler>().HandleAsync("change:1", change, Ct);

        Assert.That(await App.CreditsOfAsync("change-resident"), Is.Zero);
    }

    [Test]
    public async Task NewReport_TellsTheCommunityStaffWhoConsented_AndNotTheOthers()
    {
        using var consenting = await App.StaffAsync("inbox-staff-1", "community", "gongyuanmen");
        using var silent = await App.StaffAsync("inbox-staff-2", "community", "gongyuanmen");
        using var street = await App.StaffAsync("inbox-street", "street", "beiyuanmen");
        await consenting.ConsentAsync((NotificationTestApp.Inbox, "accept"));
        await street.ConsentAsync((NotificationTestApp.Inbox, "accept"));
        using var resident = await App.LoginAsync("inbox-resident");

        var trackingNo = await resident.FileAsync();
        await App.DispatchAsync();

        var sends = Wechat.SubscribeMessages();
        var outbox = await App.OutboxAsync();
        Assert.Multiple(() =>
        {
            Assert.That(sends.Select(s => s.GetProperty("touser").GetString()), Is.EqualTo(new[] { "o-inbox-staff-1" }));
            var data = sends.Single().GetProperty("data");
            Assert.That(sends.Single().GetProperty("page").GetString(), Is.EqualTo($"pages/staff/case?trackingNo={trackingNo}"));
            Assert.That(data.GetProperty("thing3").GetProperty("value").GetString(), Is.EqualTo("物业管理"));
            Assert.That(outbox.Count(n => n.Event == NotificationEvents.StaffCaseReceived), Is.EqualTo(2), "both community staff, not the street");
            Assert.That(outbox.Single(n => n.Status == NotificationStatus.Skipped).LastError, Is.EqualTo("no_consent"));
        });
    }

    [Test]
    public async Task Outbox_IsForTheDispatchCenter_WithItsBacklog()
    {
        using var resident = await App.LoginAsync("outbox-resident");
        var trackingNo = await resident.FileAsync();
        await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        using var community = await App.StaffAsync("outbox-community", "community", "gongyuanmen");
        (await community.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        using var dispatcher = await App.StaffAsync("outbox-dispatcher", "dispatcher", null);

        var refused = await community.GetAsync("/api/staff/notifications", Ct);
        var pending = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/notifications?status=pending", Ct);
        var ready = await ReadyAsync();

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            var item = pending.GetProperty("items").EnumerateArray().Single();
            Assert.That(item.GetProperty("event").GetString(), Is.EqualTo("complaint_accepted"));
            Assert.That(item.GetProperty("trackingNo").GetString(), Is.EqualTo(trackingNo));
            Assert.That(pending.GetProperty("backlog").GetProperty("pending").GetInt32(), Is.EqualTo(1));
            var data = ready.GetProperty("checks").GetProperty("notifications").GetProperty("data");
            Assert.That(data.GetProperty("pending").GetInt32(), Is.EqualTo(1));
            Assert.That(data.GetProperty("oldestPendingSeconds").GetInt64(), Is.GreaterThanOrEqualTo(0));
        });
    }

    private async Task<JsonElement> ReadyAsync()
    {
        using var client = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await client.SendAsync(request, Ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
