using System.Globalization;
using LianApi.Complaints;
using LianApi.Shared;

namespace LianApi.StaffConsole;

/// <summary>
/// The inbox page's GET form: its fields carry the API's query parameter names, so a console address is the API's query
/// (and a typo is refused the API's way). An empty field means "not filtered", as a form sends a blank select.
/// </summary>
public static class InboxForm
{
    public static (InboxQuery Query, Dictionary<string, string[]> Errors) Read(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        bool? Flag(string name)
        {
            if (Text(name) is not { } text) { return null; }
            if (bool.TryParse(text, out var value)) { return value; }
            errors[name] = ["请选择“是”或“否”"];
            return null;
        }
        T? Number<T>(string name) where T : struct, IParsable<T>
        {
            if (Text(name) is not { } text) { return null; }
            if (T.TryParse(text, CultureInfo.InvariantCulture, out var value)) { return value; }
            errors[name] = ["请填写数字"];
            return null;
        }
        ChinaTimeParameter? Time(string name)
        {
            if (Text(name) is not { } text) { return null; }
            if (ChinaTimeParameter.TryParse(text, CultureInfo.InvariantCulture, out var value)) { return value; }
            errors[name] = ["请按“年-月-日”填写日期"];
            return null;
        }
        var q = new InboxQuery(Text("status"), Text("category"), Flag("overdue"), Flag("contentReview"), Flag("contentUnchecked"), Text("level"),
            Text("community"), Time("from"), Time("to"), Text("sort"), Number<int>("limit"), Text("cursor"), Flag("whistled"), Text("q"), Text("phone"),
            Text("department"), Text("street"), Text("grid"), Text("channel"), Number<long>("assignee"));
        return (q, errors);
    }

    /// <summary>The same query with the next page's cursor: the link under the list.</summary>
    public static string NextPage(IQueryCollection query, string cursor)
    {
        var pairs = query.Where(p => p.Key != "cursor" && p.Value.ToString().Length > 0)
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())).Append(KeyValuePair.Create("cursor", (string?)cursor));
        return ConsoleAuth.Root + "/cases" + QueryString.Create(pairs);
    }
}
