using System.Globalization;
using System.Text.RegularExpressions;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Photos;

/// <summary>The answers every endpoint that takes photoIds gives about them, said once.</summary>
public static partial class PhotoIdChecks
{
    public const int MaxPerStep = 9;

    /// <summary>422 for more than 9 ids, a repeated id or one that is no photo id at all; null when the list may be attached.</summary>
    public static ProblemHttpResult? Problem(IReadOnlyList<string>? ids)
    {
        if (ids is null || ids.Count == 0)
        {
            return null;
        }
        if (ids.Count > MaxPerStep)
        {
            return Problems.Unprocessable("photoIds", Messages.PhotoTooManyPhotos).WithCode(ProblemCodes.TooManyPhotos);
        }
        if (ids.FirstOrDefault(id => id is null || !IdFormat().IsMatch(id)) is { } malformed)
        {
            return NotAttachable(malformed ?? "null");
        }
        if (ids.GroupBy(id => id).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            return Problems.Unprocessable("photoIds", string.Format(CultureInfo.InvariantCulture,
                Messages.PhotoDuplicatePhoto, repeated.Key)).WithCode(ProblemCodes.PhotoNotAttachable);
        }
        return null;
    }

    /// <summary>422 naming the photo that is not the caller's, is attached already, is older than 24 hours or does not exist.</summary>
    public static ProblemHttpResult NotAttachable(string id) =>
        Problems.Unprocessable("photoIds", string.Format(CultureInfo.InvariantCulture, Messages.PhotoNotAttachable,
            id.Length > 40 ? id[..40] : id)).WithCode(ProblemCodes.PhotoNotAttachable);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdFormat();
}
