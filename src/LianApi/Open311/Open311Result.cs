using LianApi.Resources;
namespace LianApi.Open311;

/// <summary>
/// The typed result of every Open311 endpoint: a status and a document, rendered in the format the path's suffix
/// chose. Errors use the spec's own shape (<c>errors</c> → <c>error</c> with <c>code</c> and <c>description</c>), not
/// problem+json: Open311 clients parse that shape.
/// </summary>
public sealed class Open311Result(int statusCode, string format, object document, string? rootName = null) : IResult
{
    public int StatusCode { get; } = statusCode;

    public string Format { get; } = format;

    public object Document { get; } = document;

    public TimeSpan? RetryAfter { get; init; }

    public static Open311Result Ok(string format, object document, string? rootName = null) => new(StatusCodes.Status200OK, format, document, rootName);

    /// <summary>An error in the spec's shape; an unknown format (neither .xml nor .json) is answered in XML, the mandatory one.</summary>
    public static Open311Result Error(string format, int status, string description) =>
        new(status, format == Open311Formats.Json ? Open311Formats.Json : Open311Formats.Xml,
            new Open311List("errors", "error", [Open311Object.Of(("code", status), ("description", description))]));

    public static Open311Result NotFound(string format, string description) => Error(format, StatusCodes.Status404NotFound, description);

    public static Open311Result UnknownFormat() => Error(Open311Formats.Xml, StatusCodes.Status404NotFound, Messages.Open311UnknownFormat);

    public async Task ExecuteAsync(HttpContext http)
    {
        var json = Format == Open311Formats.Json;
        var body = json ? Open311Formats.ToJson(Document) : Open311Formats.ToXml(Document, rootName);
        http.Response.StatusCode = StatusCode;
        http.Response.ContentType = json ? Open311Formats.JsonContentType : Open311Formats.XmlContentType;
        http.Response.ContentLength = body.Length;
        if (RetryAfter is { } wait)
        {
            Infrastructure.RateLimits.SetRetryAfter(http.Response, wait);
        }
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }
}
