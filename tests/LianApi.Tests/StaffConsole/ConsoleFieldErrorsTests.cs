using LianApi.Complaints;
using LianApi.Infrastructure;
using LianApi.StaffConsole;

namespace LianApi.Tests.StaffConsole;

/// <summary>The API's field errors as a person reads them: every key the API can name has a label, and no JSON name shows.</summary>
public sealed class ConsoleFieldErrorsTests
{
    // Every JSON path the API's validator can name for these records: their properties, and a nested record's properties under it.
    private static IEnumerable<string> JsonPaths(Type record, string prefix = "") =>
        record.GetConstructors()[0].GetParameters().SelectMany(p =>
        {
            var path = prefix + JsonFieldNames.Of(p.Name!);
            var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            return type.Namespace == typeof(StaffActionRequest).Namespace && type.IsClass ? [path, .. JsonPaths(type, path + ".")] : new[] { path };
        });

    [Test]
    public void EveryFieldOfTheActionRequest_HasALabel() =>
        Assert.That(JsonPaths(typeof(StaffActionRequest)), Is.SubsetOf(ConsoleFieldErrors.ActionFields.Keys));

    [Test]
    public void EveryParameterOfTheInboxQuery_HasALabel() =>
        Assert.That(JsonPaths(typeof(InboxQuery)), Is.SubsetOf(ConsoleFieldErrors.InboxFields.Keys));

    [Test]
    public void EveryFieldAnActionDeclares_HasALabel() =>
        Assert.That(ComplaintMachine.Fields.Values.SelectMany(f => f.All).Distinct(), Is.SubsetOf(ConsoleFieldErrors.ActionFields.Keys));

    [Test]
    public void UnknownKey_FailsLoudly() =>
        Assert.That(() => ConsoleFieldErrors.Message(ConsoleFieldErrors.ActionFields, "photoId", "x"),
            Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("photoId"));

    [Test]
    public void MissingReply_IsThePromptForTheReply()
    {
        var api = Text.Format(LianApi.Resources.Messages.FieldRequiredForAction, ActionFields.Reply);

        var shown = ConsoleFieldErrors.Message(ConsoleFieldErrors.ActionFields, ActionFields.Reply, api);

        Assert.Multiple(() =>
        {
            Assert.That(api, Does.Contain("reply"), "the API names its key");
            Assert.That(shown, Is.EqualTo("请填写答复居民的内容"));
        });
    }

    [Test]
    public void OtherMessageNamingTheKey_SaysTheLabelInstead()
    {
        var shown = ConsoleFieldErrors.Message(ConsoleFieldErrors.ActionFields, ActionFields.NewDueAt, LianApi.Resources.Messages.FieldNewDueAt);

        Assert.That(shown, Does.Not.Contain("newDueAt").And.Contain("“新的办结期限（北京时间）”"));
    }

    [Test]
    public void MessageWithoutAJsonName_IsKept() =>
        Assert.That(ConsoleFieldErrors.Message(ConsoleFieldErrors.ActionFields, ActionFields.Reply, LianApi.Resources.Messages.FieldStaffText),
            Is.EqualTo(LianApi.Resources.Messages.FieldStaffText));
}
