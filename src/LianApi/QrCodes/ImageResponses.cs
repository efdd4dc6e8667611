using System.Text.RegularExpressions;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.QrCodes;

/// <summary>What the code and poster endpoints share: the kind parameter, parameters that were replaced, and safe file names.</summary>
public static partial class ImageResponses
{
    public const string ETagDescription = "Changes whenever anything the image shows changes: send it as If-None-Match to get 304 while your copy is current";

    /// <summary>The kind as validated by the query's attributes (link when absent).</summary>
    public static CodeKind ParseKind(string? kind) => kind == "wxacode" ? CodeKind.Wxacode : CodeKind.Link;

    /// <summary>
    /// Free sizes were replaced by presets. A client still sending one is told so, rather than silently getting
    /// another size than it asked for.
    /// </summary>
    public static ProblemHttpResult? RemovedParameter(HttpContext http, string[] names, string replacement) =>
        names.FirstOrDefault(http.Request.Query.ContainsKey) is { } name
            ? Problems.BadRequest(name, Text.Format(Messages.FieldRemovedParameter, name, replacement))
            : null;

    /// <summary>A code as a file or zip entry name: only [A-Za-z0-9_-], so no name can leave its folder or fool a shell.</summary>
    public static string SafeName(string code) => code.Length == 0 ? "_" : UnsafeCharacter().Replace(code, "_");

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex UnsafeCharacter();
}
