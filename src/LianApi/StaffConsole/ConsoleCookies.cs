namespace LianApi.StaffConsole;

/// <summary>The console's cookies: the session, and the login page's binding of a ticket to the browser that showed it.</summary>
public static class ConsoleCookies
{
    // __Host-: only ever set by this host over HTTPS, for the whole site; no subdomain can plant or overwrite it.
    public const string Session = "__Host-lian-console";
    public const string LoginBinding = "__Host-lian-console-login";
    // Not __Host-: the antiforgery cookie's Secure flag follows the request, since the framework refuses to issue an
    // always-Secure one over plain HTTP (a balancer terminating TLS without forwarded headers configured).
    public const string Antiforgery = "lian-console-af";

    // Secure even when the request reached us as plain HTTP: behind a TLS-terminating balancer the browser still speaks
    // HTTPS, and browsers accept Secure cookies from http://localhost in development.
    public static CookieOptions SessionOptions() => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };

    public static CookieOptions LoginBindingOptions(DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
        Expires = expires,
    };
}
