using LianApi.Notifications;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LianApi.Tests.Notifications;

/// <summary>Every keyword type WeChat defines, fitted to its rule (wechat-api.md §5), and the templates configuration checked at start.</summary>
public sealed class KeywordValuesTests
{
    private const string Long = "小区电梯坏了三天，老人上下楼困难，物业一直不来修，希望尽快处理";

    [TestCase("thing2", Long, "小区电梯坏了三天，老人上下楼困难，物业…")]
    [TestCase("thing2", "电梯🚨坏了\n三天😭", "电梯坏了 三天")]
    [TestCase("thing2", "", "无")]
    [TestCase("number3", "共 12.5 件abc", "12.5")]
    [TestCase("letter4", "LH-abc 中文 XYZ", "LHabcXYZ")]
    [TestCase("symbol5", "a-b+c*d/e%f#", "-+*/%")]
    [TestCase("character_string1", "LH20261202-0042 受理", "LH20261202-0042")]
    [TestCase("character_string1", "编号：LH20261202-0042", "LH20261202-0042")]
    [TestCase("time4", "2026年12月2日 11:57", "2026年12月2日 11:57")]
    [TestCase("time4", "2026-12-02T03:57:00Z", "2026年12月2日 11:57")]
    [TestCase("time4", "下午", "-")]
    [TestCase("date6", "2026-12-02T20:30:00+08:00", "2026年12月2日")]
    [TestCase("amount7", "12.50元", "¥12.50")]
    [TestCase("phone_number8", "电话 +86-138 1234 5678", "+86-13812345678")]
    [TestCase("car_number9", "陕A12345测试超长", "陕A12345测")]
    [TestCase("name10", "张三丰张三丰张三丰张三丰", "张三丰张三丰张三丰…")]
    [TestCase("name10", "Zhang San Feng Long Name Here", "Zhang San Feng Long…")]
    [TestCase("phrase3", "已受理 · 上报街道", "已受理")]
    [TestCase("phrase3", "处理中 in progress", "处理中")]
    [TestCase("phrase3", "不予受理并归档", "不予受理并")]
    [TestCase("phrase3", "ok", "无")]
    public void Fit_EachKeywordType_KeepsWithinWechatsRule(string keyword, string value, string expected) =>
        Assert.That(KeywordValues.Fit(keyword, value), Is.EqualTo(expected));

    [Test]
    public void Fit_EveryType_NeverReturnsControlCharactersOrEmoji()
    {
        var types = new[] { "thing", "number", "letter", "symbol", "character_string", "time", "date", "amount", "phone_number", "car_number", "name", "phrase" };
        const string nasty = "\u0000已\u0007受理\u200d👍🏽\ufe0f 12:30 ¥3 LH-1\r\n";

        Assert.Multiple(() =>
        {
            foreach (var type in types)
            {
                var fitted = KeywordValues.Fit(type + "1", nasty);
                Assert.That(fitted, Is.Not.Empty, type);
                Assert.That(fitted.Any(c => char.IsControl(c) || char.IsSurrogate(c) || c is '\u200d' or '\ufe0f'), Is.False, $"{type}: {fitted}");
            }
        });
    }

    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Notifications:Templates:complaint_accepted:TemplateId"] = "tmpl-1",
        ["Notifications:Templates:complaint_accepted:Data:thing2"] = "summary",
    };

    [TestCase("Notifications:Templates:complaint_acepted:TemplateId", "tmpl-2", "complaint_acepted: no such event")]
    [TestCase("Notifications:Templates:complaint_accepted:Data:thing_2", "summary", "thing_2: not a WeChat keyword name")]
    [TestCase("Notifications:Templates:complaint_accepted:Data:thing3", "title", "thing3=title: the values are")]
    [TestCase("Notifications:Templates:complaint_accepted:Page", "/pages/detail", "Page must be a page of the mini-program")]
    [TestCase("Notifications:MiniprogramState", "release", "MiniprogramState must be formal, trial or developer")]
    public void Validate_ABadTemplateSetting_FailsNamingTheKey(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection(NotificationOptions.Section).Get<NotificationOptions>()!;

        var result = new NotificationOptionsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain(message));
    }

    [Test]
    public void Start_WithABadTemplateSetting_IsRefused()
    {
        using var app = new LianApiFactory(new Dictionary<string, string?>(Valid) { ["Notifications:Templates:complaint_accepted:Data:thing3"] = "title" });

        var failure = Assert.Catch(() => app.StartServer());

        Assert.That(failure!.ToString(), Does.Contain("thing3=title"));
    }

    [Test]
    public void Start_WithValidTemplates_Works()
    {
        using var app = new LianApiFactory(Valid, kestrel: false);

        Assert.That(app.Service<IOptions<NotificationOptions>>().Value.TemplateFor("complaint_accepted")!.TemplateId, Is.EqualTo("tmpl-1"));
    }
}
