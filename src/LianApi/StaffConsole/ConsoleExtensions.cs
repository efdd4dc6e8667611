using LianApi.Infrastructure;
using LianApi.Staff;
using LianApi.StaffConsole.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace LianApi.StaffConsole;

public static class ConsoleExtensions
{
    // No inline script anywhere: a script injected into a page (a resident's text, say) cannot run.
    // Images may come from the map's tile provider too, when one is configured.
    private static string ContentSecurityPolicy(string? tiles) => $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{(tiles is null ? "" : " " + tiles)}; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddStaffConsole(this IServiceCollection services)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Chinese pages read as Chinese in the HTML too, not as &#x...; for every character (the default encoder's ASCII range).
        services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ConsoleCookies.Antiforgery;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.Path = ConsoleAuth.Root;
        });
        // Every instance protects and reads antiforgery tokens with the same keys, kept in the database they share.
        services.AddDataProtection().SetApplicationName("LianApi");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = ActivatorUtilities.CreateInstance<DatabaseKeyRing>(sp)));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ConsoleSessionHandler>(ConsoleAuth.Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, policy => policy
            .AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser().RequireRole(StaffRoles.All));
        return services.AddSingleton<LoginTicketStore>().AddSingleton<ConsoleSessionStore>().AddSingleton<WallStore>()
            .AddSingleton<ApiValidation>().AddSingleton<ConsoleActions>().AddSingleton<MapStore>();
    }

    /// <summary>The console's own files (before authorization: they are the same for everyone) and its response headers.</summary>
    public static IApplicationBuilder UseStaffConsole(this IApplicationBuilder app)
    {
        var policy = ContentSecurityPolicy(app.ApplicationServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.MapTiles.ImageSource());
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ConsoleAuth.Root))
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = policy;
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "same-origin";
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
        // The console's files live under /console and /lib: an API request must not cost a look into wwwroot.
        return app.UseWhen(context => context.Request.Path.StartsWithSegments(ConsoleAuth.Root) || context.Request.Path.StartsWithSegments(LibraryRoot),
            files => files.UseStaticFiles());
    }

    /// <summary>Third-party scripts (charts, maps) with their licences, under wwwroot/lib.</summary>
    public const string LibraryRoot = "/lib";

    /// <summary>The pages under /console, and the few endpoints their script and forms use; none of it is part of the API's spec.</summary>
    public static IEndpointRouteBuilder MapStaffConsole(this IEndpointRouteBuilder routes)
    {
        routes.MapConsoleLogins();
        routes.MapConsoleEndpoints();
        routes.MapRazorComponents<App>()
            .RequireAuthorization(ConsoleAuth.Policy)
            .ContainsPersonalData()
            .WithMetadata(new Microsoft.AspNetCore.Routing.ExcludeFromDescriptionAttribute());
        return routes;
    }
}
