using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LianApi.Data;

namespace LianApi.Demo;

/// <summary><c>demo-data --cases N [--years Y]</c>: realistic case histories for benchmarks and demonstrations.</summary>
internal static class DemoVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var cases = new Option<int>("--cases") { Description = "How many case histories to write.", HelpName = "n", Required = true, CustomParser = Positive };
        var years = new Option<int>("--years") { Description = "Over how many years before today.", HelpName = "y", DefaultValueFactory = _ => 3, CustomParser = Positive };
        var command = new Command("demo-data", "Fill the database with realistic case histories (Development seeds the org first).") { cases, years };
        command.SetAction(async (parsed, ct) =>
        {
            if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
            {
                // What the API does at its first start in Development: the demo needs an org to happen in.
                foreach (var seed in services.GetServices<IDevelopmentSeed>())
                {
                    await seed.ApplyAsync(ct);
                }
            }
            var span = parsed.GetValue(years);
            var filled = await services.GetRequiredService<DemoData>().FillAsync(parsed.GetValue(cases), span, Console.Out, ct);
            Console.WriteLine($"{filled.Cases} cases over {span} year(s) in {filled.Elapsed.TotalSeconds:F0} s; {filled.RollupRows} statistics rollup rows.");
            return 0;
        });
        return command;
    }

    private static int Positive(ArgumentResult result)
    {
        if (int.TryParse(result.Tokens.Single().Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }
        result.AddError($"{((OptionResult)result.Parent!).IdentifierToken!.Value} must be a whole number above 0, not '{result.Tokens.Single().Value}'.");
        return 0;
    }
}
