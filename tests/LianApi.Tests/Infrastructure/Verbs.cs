using LianApi.Communities;

namespace LianApi.Tests.Infrastructure;

/// <summary>Ops verbs run through the app's real entry point, exactly as `dotnet LianApi.dll VERB` runs them.</summary>
public static class Verbs
{
    public static Task<int> RunAsync(string database, string directory, params string[] verb)
    {
        string[] args = [.. verb, $"--ConnectionStrings:Lian=Data Source={database}", $"--DataDirectory={directory}", "--Logging:LogLevel:Default=Warning"];
        return Task.Run(() => (int)typeof(Program).Assembly.EntryPoint!.Invoke(null, [args])!);
    }

    /// <summary>
    /// A verb on a running app's database, as ops run one beside the API. The app would see an organisation change within
    /// <see cref="OrgDirectory.MaxAge"/>; the test does not wait that long.
    /// </summary>
    public static async Task<int> RunVerbAsync(this LianApiFactory app, params string[] verb)
    {
        var exit = await RunAsync(app.DatabasePath, app.DataDirectory, verb);
        app.Service<OrgDirectory>().Invalidate();
        return exit;
    }
}
