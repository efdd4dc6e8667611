using LianApi.Communities;
using LianApi.PublicWall;

namespace LianApi.Tests.PublicWall;

public sealed class PublicTextTests
{
    [TestCase("请打电话 13912345678 联系我", "请打电话 *** 联系我")]
    [TestCase("座机 029-87654321 或 +86 139 1234 5678", "座机 *** 或 ***")]
    [TestCase("2026-12-02 起停水，3 号楼 12 户", "2026-12-02 起停水，3 号楼 12 户")]
    [TestCase("电话１３８１２３４５６７０", "电话***")]
    [TestCase("电话1.3.8.1.2.3.4.5.6.7.1", "电话***")]
    [TestCase("电话一三八一二三四五六七八九", "电话***")]
    [TestCase("电话壹叁捌幺贰叁肆伍陆柒玖", "电话***")]
    [TestCase("电话139\u200b1234\u200b5678，谢谢", "电话***，谢谢")]
    [TestCase("电话139\u30001234\u30005678", "电话***")]
    [TestCase("电话①③⑧①②③④⑤⑥⑦⑧", "电话***")]
    [TestCase("电话（029）8765-4321", "电话（***")]
    [TestCase("２０２６－１２－０２停水，3号楼12户，一二三楼", "２０２６－１２－０２停水，3号楼12户，一二三楼")]
    [TestCase("138 2013-01-02", "***")]
    public void Mask_HidesPhoneNumbers_NotDatesOrHouseNumbers(string text, string expected) =>
        Assert.That(PublicTexts.Mask(System.Text.RegularExpressions.Regex.Unescape(text)), Is.EqualTo(expected));

    [TestCase("我叫王小明，楼道灯坏了", "我叫王**，楼道灯坏了")]
    [TestCase("联系人：欧阳娜娜", "联系人：欧阳**")]
    [TestCase("楼下李建国先生家漏水", "楼下李**先生家漏水")]
    [TestCase("感谢王师傅，灯修好了", "感谢王师傅，灯修好了")]
    [TestCase("网格员张小红已回访", "网格员张**已回访")]
    [TestCase("小区门口的路灯不亮已经一周了", "小区门口的路灯不亮已经一周了")]
    public void Mask_KeepsOnlyTheSurname_OfANameAfterACue(string text, string expected) =>
        Assert.That(PublicTexts.Mask(text), Is.EqualTo(expected));

    [TestCase(true, false)]
    [TestCase(false, true)]
    public void TextContentSafetyHasNotCleared_IsWithheld(bool review, bool unchecked_)
    {
        var facts = new PublicFacts(new PublicCaseRow { Description = "楼道灯坏了", Status = "resolved", ContentReview = review, ContentUnchecked = unchecked_ },
            new CommunityRow(), new CategoryRow(), "贡院门社区", new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc), null, []);
        Assert.Multiple(() =>
        {
            Assert.That(facts.PublicText, Is.Null);
            Assert.That(facts.Summary, Is.Null);
            Assert.That((facts with { Row = facts.Row with { ContentReview = false, ContentUnchecked = false } }).Summary, Is.EqualTo("楼道灯坏了"));
        });
    }
}
