using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Notifications;

/// <summary>Emulator mode: messages are recorded and logged, never sent, and listed for the front-end team (Development only).</summary>
public sealed class EmulatedNotificationsTests
{
    [Test]
    public async Task Emulator_RecordsAndLogsTheRenderedMessage_AndListsIt()
    {
        await using var app = new LianApiFactory(NotificationTestApp.Templates());
        using var resident = await app.LoginAsync("emulated-resident");
        var trackingNo = await resident.FileAsync();
        await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        using var staff = await app.StaffAsync("emulated-staff", "community", "gongyuanmen");
        (await staff.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();

        var result = await app.DispatchAsync();
        var listed = await resident.GetFromJsonAsync<JsonElement>("/api/notifications/emulated");

        var message = listed.EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Sent, Is.EqualTo(1));
            Assert.That(message.GetProperty("templateId").GetString(), Is.EqualTo(NotificationTestApp.Accepted));
            Assert.That(message.GetProperty("page").GetString(), Does.EndWith(trackingNo));
            Assert.That(message.GetProperty("data").GetProperty("character_string1").GetString(), Is.EqualTo(trackingNo));
            Assert.That(message.GetProperty("data").GetProperty("phrase3").GetString(), Is.EqualTo("已受理"));
            Assert.That(app.Logs.Lines.Any(l => l.Contains("Emulated subscribe message", StringComparison.Ordinal) && l.Contains(trackingNo, StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public async Task Emulated_ListsTheCallersOwnMessages_NotOtherUsers()
    {
        await using var app = new LianApiFactory(NotificationTestApp.Templates());
        using var resident = await app.LoginAsync("emulated-owner");
        using var other = await app.LoginAsync("emulated-other");
        var trackingNo = await resident.FileAsync();
        await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        using var staff = await app.StaffAsync("emulated-staff-2", "community", "gongyuanmen");
        (await staff.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        await app.DispatchAsync();

        var mine = await resident.GetFromJsonAsync<JsonElement>("/api/notifications/emulated");
        var theirs = await other.GetFromJsonAsync<JsonElement>("/api/notifications/emulated");

        Assert.Multiple(() =>
        {
            Assert.That(mine.GetArrayLength(), Is.EqualTo(1));
            Assert.That(theirs.GetArrayLength(), Is.Zero, "another resident's messages are not shown");
        });
    }
}
