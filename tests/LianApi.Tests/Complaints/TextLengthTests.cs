using System.Net;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Complaints;

/// <summary>
/// Text limits count characters (code points), as the spec's minLength and maxLength do in every JSON Schema
/// validator and as a resident counts them: an emoji is one character, not two UTF-16 units.
/// </summary>
public sealed class TextLengthTests
{
    private const string Emoji = "😀";

    private static LianApiFactory app = null!;
    private static HttpClient client = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        client = await app.LoginAsync("resident-text-length");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task Submit_ThreeEmoji_FailTheFiveCharacterMinimum()
    {
        var response = await client.SubmitAsync(Requests.Complaint(description: Emoji + Emoji + Emoji));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("description", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Submit_FiveEmoji_MeetTheFiveCharacterMinimum()
    {
        var response = await client.SubmitAsync(Requests.Complaint(description: string.Concat(Enumerable.Repeat(Emoji, 5))));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Submit_999HanziAndAnEmoji_FitTheThousandCharacterMaximum()
    {
        var description = new string('坏', 999) + Emoji;

        var response = await client.SubmitAsync(Requests.Complaint(description: description));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var stored = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(stored.GetProperty("description").GetString(), Is.EqualTo(description), "stored whole");
    }

    [Test]
    public async Task Submit_1000HanziAndAnEmoji_AreOneCharacterTooMany()
    {
        var response = await client.SubmitAsync(Requests.Complaint(description: new string('坏', 1000) + Emoji));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("description", out _), Is.True, problem.ToString());
    }
}
