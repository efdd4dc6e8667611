using LianApi;
using LianApi.Account;
using LianApi.Auth;
using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Idempotency;
using LianApi.Notifications;
using LianApi.Privacy;
using LianApi.PublicWall;
using LianApi.Complaints;
using LianApi.ContentSafety;
using LianApi.Data;
using LianApi.Demo;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Open311;
using LianApi.Posters;
using LianApi.QrCodes;
using LianApi.Reports;
using Microsoft.Extensions.Options;
using LianApi.Staff;
using LianApi.StaffConsole;
using LianApi.Stats;
using LianApi.Wechat;
using LianApi.Notifications.Wecom;

// help, or a mistyped verb or option (demo-dta, staff add --role boss): print and exit, never start the web server by accident.
if (Cli.UsageExitCode(args, Console.Out, Console.Error) is { } usage)
{
    return usage;
}

NativeHeap.ReturnLargeBlocks();                 // Skia's large bitmaps go back to the OS when freed (glibc)
// appsettings*.json from the app's own folder wherever it is started; relative data paths stay the working directory's.
var builder = WebApplication.CreateBuilder(AppFolders.HostOptions(Cli.ConfigurationArgs(args)));

builder.AddLianHttp();                          // Kestrel limits, strict JSON, ProblemDetails, timeouts
builder.Services.AddData();                     // SQLite (default) or SQL Server, migrations, development seed
builder.Services.AddWechat();                   // typed WeChat client with resilience, or the emulator
builder.Services.AddLianAuth();                 // our JWTs; every endpoint needs one unless it says otherwise
builder.Services.AddLianSecurityHeaders();       // trusted proxies, nosniff, no-store for personal data, HSTS
builder.Services.AddLianRateLimiting();         // per IP for login, per resident for new reports
builder.Services.AddCommunities();              // streets, communities, categories, org imports
builder.Services.AddCalendar();                 // working days and holidays (调休)
builder.Services.AddPrivacy();                  // phone numbers encrypted at rest
builder.Services.AddContentSafety();           // residents' text checked by WeChat before it is stored
builder.Services.AddIdempotency();              // Idempotency-Key for report submission
builder.Services.AddPhotos();                   // photo uploads, cleaning, signed links, the sweep of unattached ones
builder.Services.AddComplaints();               // reports, the response chain, the deadline sweep
builder.Services.AddStaff();                    // staff accounts and binding codes
builder.Services.AddNotifications();            // WeChat subscribe messages from an outbox written with each transition
builder.Services.AddWecom();                    // WeCom (企业微信 / 政务微信) staff alerts, deadline warnings, morning to-do
builder.Services.AddQrCodes();                  // community QR codes and mini-program codes
builder.Services.AddPosters();                  // print-ready posters
builder.Services.AddStats();                    // the district's numbers: rollups, measures, exports
builder.Services.AddReports();                  // 日报/周报: written by a leased job at the configured time, kept as PDF and xlsx
builder.Services.AddPublicWall();               // 办结公示 and Open311: consented, resolved cases, no personal data
builder.Services.AddOpen311();                  // partner keys (stored hashed) and their rate limit
builder.Services.AddDemoData();                 // demo-data: realistic case histories for benchmarks
builder.Services.AddStaffConsole();             // the staff console under /console: scan-to-log-in, sessions and keys in the database
builder.Services.AddLianSwagger();
builder.Services.AddLianHealthChecks();

var app = builder.Build();

// Ops verbs (migrate, import) share the configuration and stores, but never start the web server.
if (Cli.IsVerb(args))
{
    return await Cli.RunAsync(app, args);
}

// A missing or invalid setting stops the start with one line naming the key and exit code 1, not a stack trace.
if (app.Services.ConfigurationError() is { } configurationError)
{
    Console.Error.WriteLine(configurationError);
    return 1;
}

app.UseForwardedHeaders();                      // the client address behind the configured proxies only
app.UseLianSecurityHeaders();
app.UseLianLocalization();                      // Chinese messages, English with Accept-Language: en
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRereadableJsonBodies();                  // a refused JSON body is read again to name every bad field at once
if (app.Environment.IsDevelopment())
{
    app.UseLianSwagger();                       // Swagger UI at /swagger; never served in Production
}
app.UseStaffConsole();                          // the console's files and headers (CSP without inline script), before authorization
app.UseLianAuthentication();                    // a bearer token is read only when one is sent
app.UseAuthorization();
app.UseAntiforgery();                           // the console's forms; after authorization, as a token belongs to the signed-in person
app.UseRateLimiter();
app.UseRequestTimeouts();

app.MapLianHealthChecks();
app.MapProblemCodes();
app.MapAuth();
app.MapCommunities();
app.MapPhotos();
app.MapComplaints();
app.MapStaff();
app.MapStaffComplaints();
app.MapStaffConsole();                          // pages, their script's endpoints and the mini-program's approval of a console login
app.MapNotifications(app.Environment);
app.MapAccount();
app.MapIntake();                                // reports recorded on residents' behalf
app.MapStaffCommunities();                      // grids, grid workers and paired departments for routing
app.MapQrCodes();
app.MapPosters();
app.MapWechatPush();                            // WeChat's message push (消息推送): media check results, subscription events
app.MapStats();
app.MapReports();                               // the kept daily and weekly reports, for the dispatch center
app.MapPublicWall();                            // anonymous: the resolved cases residents agreed to publish
app.MapOpen311();                               // GeoReport v2 for other systems; outside our OpenAPI document (its own spec)
app.MapWechatVerificationFile(app.Services.GetRequiredService<IOptions<QrCodeOptions>>().Value);

await app.RunAsync();
return 0;
