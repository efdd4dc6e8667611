using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Privacy;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Complaints;

/// <summary>
/// A phone as people and WeChat write it (getPhoneNumber gives +8613812345678; elderly residents type spaces and dashes)
/// is accepted wherever a phone is, and kept in one form: the masked number, the audited reveal and the search agree.
/// </summary>
public sealed class PhoneFormatsTests
{
    private LianApiFactory app = null!;
    private HttpClient resident = null!;
    private HttpClient community = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = new LianApiFactory();
        resident = await app.LoginAsync("phone-formats-resident");
        community = await app.StaffAsync("phone-formats-community", "community", "gongyuanmen");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        resident.Dispose();
        community.Dispose();
        await app.DisposeAsync();
    }

    [TestCase("+8613800138000", "13800138000", "138****8000")]
    [TestCase("+86 138 0013 8000", "13800138000", "138****8000")]
    [TestCase("0086 138-0013-8000", "13800138000", "138****8000")]
    [TestCase("138-0013-8000", "13800138000", "138****8000")]
    [TestCase(" 13800138000 ", "13800138000", "138****8000")]
    [TestCase("029-87654321", "02987654321", "029****4321")]
    [TestCase("(029) 8765 4321", "02987654321", "029****4321")]
    [TestCase("+86 29 8765 4321", "02987654321", "029****4321")]
    public async Task Submit_APhoneAsPeopleWriteIt_IsKeptInOneForm(string written, string kept, string masked)
    {
        var submitted = await resident.SubmitAsync(Requests.Complaint(phone: written));
        var body = await submitted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        var trackingNo = body.GetProperty("trackingNo").GetString()!;

        var mine = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");
        var contact = await (await community.PostAsync($"/api/staff/complaints/{trackingNo}/contact", null)).Content.ReadFromJsonAsync<JsonElement>();
        var found = await community.GetFromJsonAsync<JsonElement>("/api/staff/complaints?phone=" + Uri.EscapeDataString(kept));

        Assert.Multiple(() =>
        {
            Assert.That(mine.GetProperty("contactPhone").GetString(), Is.EqualTo(masked));
            Assert.That(contact.GetProperty("phone").GetString(), Is.EqualTo(kept));
            Assert.That(found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Does.Contain(trackingNo));
        });
    }

    [TestCase("12345")]
    [TestCase("+1 415 555 0100")]
    [TestCase("138001380001")]
    [TestCase("电话13800138000")]
    [TestCase("+86 +86 138 0013 8000")]
    public async Task Submit_WhatIsNoChinesePhone_Is400NamingTheField(string written)
    {
        var problem = await ProblemAssert.IsProblem(await resident.SubmitAsync(Requests.Complaint(phone: written)), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").TryGetProperty("contactPhone", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task StaffIntake_TakesTheResidentsPhoneInWeChatsForm()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/staff/complaints")
        {
            Content = JsonContent.Create(new
            {
                channel = "door_knock", communityCode = "gongyuanmen", categoryCode = "property", description = "楼道堆放杂物，老人进出不便",
                residentPhone = "+86 137-0000-1234", callbackWanted = true,
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await community.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());

        var contact = await (await community.PostAsync($"/api/staff/complaints/{body.GetProperty("trackingNo").GetString()}/contact", null))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(contact.GetProperty("phone").GetString(), Is.EqualTo("13700001234"));
    }

    [TestCase("+8613800138000", true)]
    [TestCase("029-8765432", true)]
    [TestCase("0298765432", true)]
    [TestCase("13800138000a", false)]
    [TestCase("", false)]
    public void ChinesePhone_Checks(string text, bool valid) => Assert.That(ChinesePhoneAttribute.IsPhone(text), Is.EqualTo(valid));
}
