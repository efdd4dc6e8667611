using System.Diagnostics;

namespace LianApi.Tests.Contract;

/// <summary>
/// What the front-end team's tools make of api-spec/openapi.json: Redocly's recommended rules without a warning, and
/// openapi-typescript types that a typed client flow compiles against with tsc --strict. Both need Node.js; the
/// scripts install their tools with npm on first use. One fixture, so the two never install at once.
/// </summary>
public sealed class OpenApiToolingTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    [Test]
    public Task Spec_PassesRedoclyRecommendedRules_WithoutErrorsOrWarnings() => RunScriptAsync("lint-openapi");

    [Test]
    public Task Spec_GeneratesTypeScriptTypes_ThatATypedFlowCompilesAgainstStrictly() => RunScriptAsync("check-openapi-types");

    private static async Task RunScriptAsync(string script)
    {
        var missing = new[] { "node", "npm" }.Where(tool => !IsOnPath(tool)).ToList();
        if (missing.Count > 0)
        {
            Assert.Ignore($"scripts/{script} needs Node.js 20.19+ with npm, and {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not on PATH: " +
                          "install them (Debian: apt-get install nodejs npm) to check the spec with the front-end tools.");
        }
        var root = Path.GetDirectoryName(Path.GetDirectoryName(OpenApiSpecTests.CommittedSpecPath()))!;
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", script)])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Budget);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scripts/{script} did not finish within {Budget}:\n{await output}\n{await errors}");
        }
        var report = $"{await output}\n{await errors}";
        TestContext.Out.WriteLine(report);
        Assert.That(process.ExitCode, Is.Zero, $"scripts/{script} failed:\n{report}");
    }

    private static bool IsOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
}
