using Microsoft.Extensions.Options;

namespace LianApi.QrCodes;

/// <summary>The community QR codes: the plain link code and WeChat's mini-program code.</summary>
public sealed class QrCodeOptions
{
    public const string Section = "QrCodes";
    public const string DevelopmentPlaceholder = "https://lian.example.invalid/q/c/";
    public const string DevelopmentBindingPlaceholder = "https://lian.example.invalid/q/b/";

    /// <summary>
    /// URL prefix registered as the "扫普通链接二维码打开小程序" rule; the community code is appended. It must end with
    /// '/' so the rule matches every community (sub-path matching), and the domain must have ICP filing.
    /// </summary>
    public string LinkPrefix { get; set; } = "";

    /// <summary>
    /// URL prefix of a second link rule, for the staff binding page: the one-time binding code is appended (the QR codes on
    /// the binding sheet of <c>import staff</c>). Ends with '/'; only <c>import staff</c> needs it, so the API starts without it.
    /// </summary>
    public string BindingLinkPrefix { get; set; } = "";

    /// <summary>Mini-program page that opens on a scan of the wxacode; no leading '/', no query string.</summary>
    public string WxaPage { get; set; } = "pages/community/index";

    /// <summary><c>release</c>, <c>trial</c> or <c>develop</c>.</summary>
    public string WxaEnvVersion { get; set; } = "release";

    /// <summary>False to generate codes for pages not yet published (WeChat then skips its page check).</summary>
    public bool WxaCheckPath { get; set; } = true;

    /// <summary>The verification file WeChat's console asks to publish for the link rule (name and content from the console).</summary>
    public string? VerificationFileName { get; set; }

    public string? VerificationFileContent { get; set; }
}

internal sealed class QrCodeOptionsSetup(IHostEnvironment environment) : IPostConfigureOptions<QrCodeOptions>, IValidateOptions<QrCodeOptions>
{
    public void PostConfigure(string? name, QrCodeOptions options)
    {
        if (options.LinkPrefix.Length == 0 && !environment.IsProduction())
        {
            options.LinkPrefix = QrCodeOptions.DevelopmentPlaceholder;
        }
        if (options.BindingLinkPrefix.Length == 0 && !environment.IsProduction())
        {
            options.BindingLinkPrefix = QrCodeOptions.DevelopmentBindingPlaceholder;
        }
    }

    public ValidateOptionsResult Validate(string? name, QrCodeOptions o)
    {
        var failures = new List<string>();
        if (!IsLinkPrefix(o.LinkPrefix))
        {
            failures.Add("QrCodes__LinkPrefix must be the absolute URL of the registered link rule and end with '/', e.g. https://lian.example.gov.cn/q/c/.");
        }
        else if (environment.IsProduction() && o.LinkPrefix == QrCodeOptions.DevelopmentPlaceholder)
        {
            failures.Add("QrCodes__LinkPrefix still holds the development placeholder: set the URL of the rule registered in the WeChat console.");
        }
        if (o.BindingLinkPrefix.Length > 0 && !IsLinkPrefix(o.BindingLinkPrefix))
        {
            failures.Add("QrCodes__BindingLinkPrefix must be the absolute URL of the link rule of the staff binding page and end with '/', e.g. https://lian.example.gov.cn/q/b/.");
        }
        else if (environment.IsProduction() && o.BindingLinkPrefix == QrCodeOptions.DevelopmentBindingPlaceholder)
        {
            failures.Add("QrCodes__BindingLinkPrefix still holds the development placeholder: set the URL of the rule registered in the WeChat console.");
        }
        if (o.WxaPage.StartsWith('/') || o.WxaPage.Contains('?'))
        {
            failures.Add("QrCodes__WxaPage must have no leading '/' and no query string (WeChat answers 41030 otherwise).");
        }
        if (o.WxaEnvVersion is not ("release" or "trial" or "develop"))
        {
            failures.Add("QrCodes__WxaEnvVersion must be release, trial or develop.");
        }
        if (o.VerificationFileName is { } file && (file.Length == 0 || file.Contains('/') || file.Contains("..") || string.IsNullOrEmpty(o.VerificationFileContent)))
        {
            failures.Add("QrCodes__VerificationFileName must be a plain file name (as the WeChat console gives it), with QrCodes__VerificationFileContent set.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLinkPrefix(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var prefix) && prefix.Scheme is ("https" or "http") && value.EndsWith('/');
}
