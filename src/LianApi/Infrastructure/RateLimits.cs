using System.Globalization;

namespace LianApi.Infrastructure;

public static class RateLimits
{
    public const string Login = "login";
    public const string PrintSet = "print-set";
    public const string PublicRead = "public-read";

    public static void SetRetryAfter(this HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
