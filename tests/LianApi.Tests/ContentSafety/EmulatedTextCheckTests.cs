using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.ContentSafety;

/// <summary>Emulator mode: text checks are local and deterministic, driven by markers in the text.</summary>
public sealed class EmulatedTextCheckTests
{
    private static LianApiFactory app = null!;
    private static HttpClient resident = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        resident = await app.LoginAsync("emulated-content-resident");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task RiskyMarker_IsRefused()
    {
        var response = await resident.SubmitAsync(Requests.Complaint("楼道里有【测试违规】内容"));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("content_rejected"));
    }

    [Test]
    public async Task ReviewMarker_IsAcceptedAndFlagged()
    {
        var response = await resident.SubmitAsync(Requests.Complaint("楼道里有【测试待审】内容"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var no = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(app.Case(no).ContentReview, Is.True);
            Assert.That(app.Case(no).ContentUnchecked, Is.False);
        });
    }

    [Test]
    public async Task OrdinaryText_Passes()
    {
        var response = await resident.SubmitAsync(Requests.Complaint("楼道灯坏了，晚上看不见台阶"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var no = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        Assert.That(app.Case(no).ContentReview, Is.False);
    }
}
