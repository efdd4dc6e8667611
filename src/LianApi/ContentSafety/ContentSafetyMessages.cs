namespace LianApi.ContentSafety;

/// <summary>A message in Simplified Chinese (the default) and English (Accept-Language: en).</summary>
public sealed record LocalizedMessage(string Chinese, string English)
{
    public string For(HttpContext http) =>
        http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault() is { } first
        && first.Value.Value?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true
            ? English
            : Chinese;
}

/// <summary>What residents read when WeChat's content check refuses their text; kept as pairs so they move to resources mechanically.</summary>
public static class ContentSafetyMessages
{
    public static readonly LocalizedMessage ReportRejected = new(
        "您填写的问题描述或地址中含有不适宜发布的内容，未能提交。请修改措辞后重新提交；如情况紧急，请拨打 12345。",
        "The description or address contains content that cannot be published, so the report was not filed. Please rephrase it and send it again; if it is urgent, call 12345.");

    public static readonly LocalizedMessage CommentRejected = new(
        "您的评价内容中含有不适宜发布的内容，未能提交。请修改措辞后重新提交。",
        "The comment contains content that cannot be published, so the rating was not saved. Please rephrase the comment and send it again.");

    public const string RejectedTitle = "Content rejected by the content-safety check";
}
