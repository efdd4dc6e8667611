using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Notifications;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Notifications;

/// <summary>
/// Credits cannot be inflated (issue 23 §6): only a successful answer counts, only for a template offered to the
/// caller's role, and never above <see cref="ConsentStore.MaxCredits"/> per template, from the client or the push.
/// </summary>
public sealed class ConsentCreditTests : NotificationAppTest
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Dictionary<string, string> body) =>
        await client.PostAsJsonAsync("/api/notifications/consents", body);

    [Test]
    public async Task ThirtyIdenticalAccepts_CountNoMoreThanTheCap()
    {
        using var resident = await App.LoginAsync("cap-resident");

        for (var i = 0; i < 30; i++)
        {
            await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        }

        Assert.That(await App.CreditsOfAsync("cap-resident"), Is.EqualTo(ConsentStore.MaxCredits));
    }

    [Test]
    public async Task PushedAccepts_CountNoMoreThanTheCapEither()
    {
        using var resident = await App.LoginAsync("cap-push");
        var handler = App.Service<ConsentPushHandler>();
        var push = JsonDocument.Parse($$"""
            {"FromUserName":"o-cap-push","MsgType":"event","Event":"subscribe_msg_popup_event",
             "List":[{"TemplateId":"{{NotificationTestApp.Accepted}}","SubscribeStatusString":"accept","PopupScene":"0"}]}
            """).RootElement;

        for (var i = 0; i < 12; i++)
        {
            await handler.HandleAsync($"popup:{i}", push, Ct);
        }

        Assert.That(await App.CreditsOfAsync("cap-push"), Is.EqualTo(ConsentStore.MaxCredits));
    }

    [TestCase("requestSubscribeMessage:fail")]
    [TestCase("requestSubscribeMessage:fail can only be invoked by user TAP gesture.")]
    [TestCase("requestSubscribeMessage:ok but not really:fail")]
    public async Task AFailedAnswer_CountsNothing(string errMsg)
    {
        using var resident = await App.LoginAsync("fail-resident");

        var response = await PostAsync(resident, new() { ["errMsg"] = errMsg, [NotificationTestApp.Accepted] = "accept" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("accepted").GetArrayLength(), Is.Zero);
            Assert.That(await App.CreditsOfAsync("fail-resident"), Is.Zero);
        });
    }

    [Test]
    public async Task AnAnswerWithoutErrMsg_IsRefused_AndCountsNothing()
    {
        using var resident = await App.LoginAsync("no-errmsg-resident");

        var response = await PostAsync(resident, new() { [NotificationTestApp.Accepted] = "accept" });

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.Multiple(async () =>
        {
            Assert.That(problem.GetProperty("errors").TryGetProperty("errMsg", out _), Is.True, problem.ToString());
            Assert.That(await App.CreditsOfAsync("no-errmsg-resident"), Is.Zero);
        });
    }

    [Test]
    public async Task AResident_CollectsNoCreditsForStaffTemplates_StaffDo()
    {
        using var resident = await App.LoginAsync("role-resident");
        using var staff = await App.StaffAsync("role-staff", "community", "gongyuanmen");

        var residents = await resident.ConsentAsync((NotificationTestApp.Inbox, "accept"), (NotificationTestApp.Accepted, "accept"));
        var staffs = await staff.ConsentAsync((NotificationTestApp.Inbox, "accept"));

        Assert.Multiple(async () =>
        {
            Assert.That(residents.GetProperty("accepted").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { NotificationTestApp.Accepted }));
            Assert.That(await App.CreditsOfAsync("role-resident", NotificationTestApp.Inbox), Is.Zero);
            Assert.That(staffs.GetProperty("accepted").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { NotificationTestApp.Inbox }));
            Assert.That(await App.CreditsOfAsync("role-staff", NotificationTestApp.Inbox), Is.EqualTo(1));
        });
    }
}
