using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.PublicWall;

/// <summary>
/// Phone numbers written so that a plain digit pattern misses them (full-width digits, dots between digits, Chinese
/// numerals, ideographic spaces), and names after a cue, in a resident's text and in the staff reply: the wall and
/// Open311 publish none of them (issue 23 §2). Invisible characters that would split a number are refused at input.
/// </summary>
public sealed class DisguisedPersonalDataTests
{
    private static LianApiFactory app = null!;
    private static HttpClient anonymous = null!;
    private static HttpClient resident = null!;
    private static HttpClient community = null!;

    // Each written form and the digits it reads as.
    private static readonly (string Written, string Digits)[] Numbers =
    [
        ("１３８１２３４５６７０", "13812345670"),
        ("1.3.8.1.2.3.4.5.6.7.1", "13812345671"),
        ("一三八一二三四五六七八九", "13812345678"),
        ("壹叁捌幺贰叁肆伍陆柒玖", "13812345679"),
        ("139\u30001234\u30005672", "13912345672"),
        ("１３９－１２３４－５６７３", "13912345673"),
    ];

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        anonymous = app.CreateClient();
        resident = await app.LoginAsync("disguise-resident");
        community = await app.StaffAsync("disguise-community", "community", "gongyuanmen");
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        anonymous.Dispose();
        resident.Dispose();
        community.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<string> FileResolvedAsync(string description, string reply)
    {
        var response = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description, publicConsent = true });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var trackingNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        (await community.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        var resolved = await community.ActAsync(trackingNo, "resolve", new { reply });
        Assert.That(resolved.IsSuccessStatusCode, Is.True, await resolved.Content.ReadAsStringAsync());
        return trackingNo;
    }

    private static async Task<string[]> PublicAnswersAsync(string trackingNo) =>
    [
        await anonymous.GetStringAsync("/api/public/cases?community=gongyuanmen"),
        await anonymous.GetStringAsync($"/open311/v2/requests/{trackingNo}.json"),
        await anonymous.GetStringAsync($"/open311/v2/requests/{trackingNo}.xml"),
    ];

    [TestCaseSource(nameof(Numbers))]
    public async Task DisguisedPhoneNumber_InTheReportAndTheReply_IsMaskedOnTheWallAndInOpen311((string Written, string Digits) number)
    {
        var trackingNo = await FileResolvedAsync($"楼道灯坏了，电话{number.Written}", $"已修好，有问题打{number.Written}");

        var answers = await PublicAnswersAsync(trackingNo);
        // Open311 carries the report's summary only; the wall carries the reply too.
        Assert.That(answers[0], Does.Contain("打***"), answers[0]);
        foreach (var body in answers)
        {
            var digitsOnly = new string(body.Where(char.IsAsciiDigit).ToArray());
            Assert.Multiple(() =>
            {
                Assert.That(body, Does.Not.Contain(number.Written));
                Assert.That(body, Does.Contain("电话***"), body);
                Assert.That(digitsOnly, Does.Not.Contain(number.Digits[3..]), "not even the digits in another form");
            });
        }
    }

    [TestCase("我叫王小明，楼道灯坏了三天", "我叫王**，楼道灯坏了三天", "小明")]
    [TestCase("楼下李建国先生家的水管漏水", "楼下李**先生家的水管漏水", "建国")]
    [TestCase("联系人：欧阳娜娜，小区垃圾没人清运", "联系人：欧阳**，小区垃圾没人清运", "娜娜")]
    public async Task NameAfterACue_IsPublishedWithItsSurnameOnly(string description, string shown, string givenName)
    {
        var trackingNo = await FileResolvedAsync(description, "已处理，网格员张小红已回访");

        foreach (var body in await PublicAnswersAsync(trackingNo))
        {
            Assert.Multiple(() =>
            {
                Assert.That(body, Does.Contain(shown));
                Assert.That(body, Does.Not.Contain(givenName).And.Not.Contain("小红"));
            });
        }
    }

    [TestCase("description", "楼道灯坏了，电话139\u200b1234\u200b5678")]
    [TestCase("description", "楼道灯坏了\u2060，电话不便留")]
    [TestCase("description", "楼道灯坏了\ufeff三天")]
    [TestCase("address", "贡院门\u200d12号")]
    public async Task InvisibleFormatCharacters_AreRefusedAtInput_NamingTheField(string field, string text)
    {
        var body = new Dictionary<string, object> { ["communityCode"] = "gongyuanmen", ["categoryCode"] = "sanitation", ["description"] = "楼道灯坏了三天" };
        body[field] = text;

        var response = await resident.SubmitAsync(body);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task InvisibleCharacters_InAStaffReply_AreRefused()
    {
        var response = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "垃圾桶满了没人清理" });
        var trackingNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        (await community.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();

        var reply = await community.ActAsync(trackingNo, "reply", new { reply = "请拨打139\u200b1234\u200b5678" });

        var problem = await ProblemAssert.IsProblem(reply, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("reply", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Emoji_JoinedIntoOne_AreStillTakenAsText()
    {
        var response = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "谢谢网格员👨\u200d👩\u200d👧 楼道灯修好了" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
