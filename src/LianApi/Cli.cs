using System.CommandLine;
using System.CommandLine.Help;
using System.Text;
using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Demo;
using LianApi.Infrastructure;
using LianApi.Notifications;
using LianApi.Open311;
using LianApi.Posters;
using LianApi.Reports;
using LianApi.Staff;
using LianApi.Stats;
using Microsoft.Extensions.Options;

namespace LianApi;

/// <summary>
/// Ops verbs run by the same binary and configuration as the API (composition, like Program.cs: each feature
/// declares its own verbs). The command line is read before anything is configured, so help and usage errors
/// need no database or secrets; <c>--Section:Key=value</c> arguments go to the configuration, not to the verb.
/// </summary>
public static class Cli
{
    private static RootCommand Verbs(IServiceProvider services) => new("LianApi's ops verbs: each runs once with the API's configuration and database, then exits.")
    {
        Migrate(),
        OrgVerbs.Create(services, StaffVerbs.Import(services)),   // import communities|grids|departments|pairings|staff
        OrgChangeVerbs.Create(services),        // org move|retire community|grid|department|unpair|changes
        CalendarVerbs.Create(services),         // calendar import
        StaffVerbs.Create(services),            // staff add|renew|deactivate|list
        ComplaintVerbs.Create(services),        // sweep
        ComplaintVerbs.CreateSearch(services),  // search index
        NotificationVerbs.Create(services),     // notifications [send]
        PosterVerbs.Create(services),           // posters
        StatsVerbs.Create(services),            // stats verify|rebuild
        DailyReportVerbs.Create(services),      // report daily|weekly
        DemoVerbs.Create(services),             // demo-data
        Open311Verbs.Create(services),          // open311 key add|revoke|list
    };

    private static Command Migrate()
    {
        var command = new Command("migrate", "Apply pending schema scripts (a no-op when current; every verb does it first).");
        command.SetAction(_ => 0);
        return command;
    }

    // Parsing and help never reach a verb's action, so they need no services. A fresh tree per use: the commands
    // are cheap, and nothing promises that parsing with one tree from several threads is safe.
    private static RootCommand Grammar() => Verbs(new NoServices());

    private static readonly HashSet<string> VerbNames = [.. Grammar().Subcommands.Select(c => c.Name)];

    private static readonly HashSet<string> VerbOptions = [.. Forms(Grammar(), "").SelectMany(f => f.Command.Options).SelectMany(o => o.Aliases.Append(o.Name))];

    private static readonly string[] HelpSwitches = ["help", "--help", "-h", "-?", "/?"];

    public static bool IsVerb(string[] args) => args.Length > 0 && VerbNames.Contains(args[0]);

    /// <summary>
    /// help, --help and -h print the verbs, and VERB --help one verb's options (exit 0); a first argument that is neither
    /// a verb nor a setting (--key value, key=value, /key value) is a mistyped verb, and a verb with a missing, unknown
    /// or invalid argument is misused: what went wrong and the usage, exit 2. Null: run a verb or start the API.
    /// </summary>
    public static int? UsageExitCode(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            return null;
        }
        var first = args[0];
        if (HelpSwitches.Contains(first))
        {
            output.Write(Overview());
            return 0;
        }
        if (!IsVerb(args))
        {
            if (first.StartsWith('-') || first.StartsWith('/') || first.Contains('='))
            {
                return null;
            }
            error.WriteLine($"Unknown verb '{first}'.");
            error.Write(Overview());
            return 2;
        }
        var parsed = Grammar().Parse(VerbArgs(args));
        if (parsed.Action is HelpAction)
        {
            parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
            return 0;
        }
        if (parsed.Errors.Count > 0)
        {
            parsed.Invoke(new InvocationConfiguration { Output = error, Error = error });
            return 2;
        }
        return null;
    }

    /// <summary>What the host's configuration gets: everything to start the API, only the --key=value settings to run a verb.</summary>
    public static string[] ConfigurationArgs(string[] args) => IsVerb(args) ? args.Where(IsSetting).ToArray() : args;

    private static string[] VerbArgs(string[] args) => args.Where(a => !IsSetting(a)).ToArray();

    // --name=张三 is the verb's; --ConnectionStrings:Lian=… is a setting.
    private static bool IsSetting(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var equals and > 2 && !VerbOptions.Contains(arg[..equals]);

    /// <summary>Runs the verb <paramref name="args"/> names (checked by <see cref="UsageExitCode"/>) on the current schema.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var parsed = Verbs(app.Services).Parse(VerbArgs(args));
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var applied = await migrator.MigrateAsync(app.Lifetime.ApplicationStopping);
        Console.WriteLine(applied.Count == 0
            ? $"Schema is current (version {migrator.LatestVersion})."
            : $"Applied {string.Join(", ", applied.Select(s => s.Name))}.");
        try
        {
            // A verb's expected failures are messages and exit code 1; anything else is a bug and keeps its stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OptionsValidationException e)
        {
            // Verbs check only the settings they use, when they use them (migrate needs no WeChat secret).
            Console.Error.WriteLine(OptionsExtensions.Describe(e));
            return 1;
        }
    }

    /// <summary>The verbs on one screen, one line per form, written from the same commands that parse them.</summary>
    private static string Overview()
    {
        var forms = Forms(Grammar(), "").Where(f => f.Command.Action is not null).Select(f => (Usage: Synopsis(f.Command, f.Path), f.Command.Description)).ToList();
        var width = forms.Select(f => f.Usage.Length).Where(n => n <= 40).Max() + 2;
        var text = new StringBuilder("""
            Usage: LianApi [--urls URL] [--Section:Key=value …]    start the API (no verb)
                   LianApi VERB … [--Section:Key=value …]         run one ops verb and exit
                   LianApi help | --help | -h                    this list; LianApi VERB --help: one verb's options

            Verbs:

            """);
        foreach (var (usage, description) in forms)
        {
            text.AppendLine(usage.Length < width ? $"  {usage.PadRight(width)}{description}" : $"  {usage}\n  {new string(' ', width)}{description}");
        }
        return text.ToString();
    }

    private static string Synopsis(Command command, string path) =>
        string.Join(' ', [path, .. command.Arguments.Select(a => $"<{a.Name}>"),
            .. command.Options.Select(o => o.Required ? $"{o.Name} <{o.HelpName}>" : $"[{o.Name} <{o.HelpName}>]")]);

    /// <summary>Every command below <paramref name="parent"/>, each with the words that name it.</summary>
    private static IEnumerable<(Command Command, string Path)> Forms(Command parent, string path) =>
        parent.Subcommands.SelectMany(c => Forms(c, $"{path}{c.Name} ").Prepend((c, path + c.Name)));

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
