using LianApi.Communities;
using LianApi.PublicWall;

namespace LianApi.Tests.PublicWall;

public sealed class PublicTextTests
{
    [TestCase("请打电话 13912345678 联系我", "请打电话 *** 联系我")]
    [TestCase("座机 029-87654321 或 +86 139 1234 5678", "座机 *** 或 ***")]
    [TestCase("2026-12-02 起停水，3 号楼 12 户", "2026-12-02 起停水，3 号楼 12 户")]
    public void Mask_HidesPhoneNumbers_NotDatesOrHouseNumbers(string text, string expected) =>
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
