using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// A browser as far as the console's HTTP is concerned: its own cookie jar (kept by hand, since the real server speaks plain
/// HTTP on loopback and a client jar would withhold the Secure cookies a browser sends to localhost), no automatic redirects,
/// and the forms' hidden fields (antiforgery token, Blazor's form name) read from the pages as a browser would post them.
/// </summary>
public sealed partial class ConsoleBrowser(LianApiFactory app, string userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131 ConsoleTest")
{
    private readonly HttpClient http = Client(app);

    private static HttpClient Client(LianApiFactory app)
    {
        // Starts the server if nobody did yet: on Kestrel the factory learns its address (a random port) only then.
        // A client of our own: the factory's, on Kestrel, follows redirects whatever its options say.
        app.CreateClient().Dispose();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.ClientOptions.BaseAddress };
    }

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>Every Set-Cookie header this browser received, as sent.</summary>
    public List<string> SetCookies { get; } = [];

    public string LastHtml { get; private set; } = "";

    public async Task<HttpResponseMessage> GetAsync(string path) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>>? form = null) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = form is null ? null : new FormUrlEncodedContent(form) });

    /// <summary>Posts the page's form <paramref name="formId"/>: its hidden fields as rendered, plus <paramref name="fields"/>.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string html, string formId, string action, params (string Name, string Value)[] fields)
    {
        var form = FormOf(html, formId);
        var values = HiddenField().Matches(form).Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))).ToList();
        return PostAsync(action, values);
    }

    public static string FormOf(string html, string formId)
    {
        var start = html.IndexOf($"id=\"{formId}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no form {formId} on the page:\n{html}");
        var open = html.LastIndexOf("<form", start, StringComparison.Ordinal);
        return html[open..(html.IndexOf("</form>", start, StringComparison.Ordinal) + 7)];
    }

    /// <summary>The login page's ticket (its data-ticket), after loading the page.</summary>
    public async Task<string> OpenLoginPageAsync()
    {
        var page = await GetAsync("/console/login");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return Ticket().Match(LastHtml).Groups[1].Value;
    }

    /// <summary>What the login page's script asks every two seconds.</summary>
    public async Task<(string Status, string? Next)> WaitAsync(string ticket)
    {
        var response = await PostAsync($"/console/login/wait?ticket={Uri.EscapeDataString(ticket)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var answer = JsonDocument.Parse(LastHtml).RootElement;
        return (answer.GetProperty("status").GetString()!, answer.GetProperty("next").GetString());
    }

    /// <summary>The whole scan login: page, approval by <paramref name="staff"/> as the mini-program sends it, the waiting page's question.</summary>
    public async Task LogInAsync(HttpClient staff)
    {
        var ticket = await OpenLoginPageAsync();
        (await staff.PostAsync($"/api/staff/console-logins/{ticket}", null)).EnsureSuccessStatusCode();
        Assert.That((await WaitAsync(ticket)).Status, Is.EqualTo("approved"));
        Assert.That(Cookies, Does.ContainKey("__Host-lian-console"));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        request.Headers.UserAgent.ParseAdd(userAgent);
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                SetCookies.Add(header);
                var pair = header.Split(';')[0];
                var name = pair[..pair.IndexOf('=')];
                var value = pair[(pair.IndexOf('=') + 1)..];
                var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (value.Length == 0 || expired)
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }
        LastHtml = await response.Content.ReadAsStringAsync();
        return response;
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenField();

    [GeneratedRegex("""data-ticket="([A-Za-z0-9_-]{22})" """)]
    private static partial Regex Ticket();
}
