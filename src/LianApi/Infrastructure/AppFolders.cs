namespace LianApi.Infrastructure;

/// <summary>
/// Where the app reads its own files and where it keeps data. Its own files (appsettings*.json; the fonts are found the
/// same way) come from the folder it is installed in, wherever it is started from. Data paths (DataDirectory, the SQLite
/// Data Source) belong to the operator: a relative one resolves against the working directory, like any command's
/// files, and never lands beside the binaries, which a deployment replaces.
/// </summary>
public static class AppFolders
{
    public static WebApplicationOptions HostOptions(string[] args) => new()
    {
        Args = args,
        // An explicit --contentRoot or ASPNETCORE_CONTENTROOT still wins (the test factory points it at the project).
        ContentRootPath = new ConfigurationBuilder().AddEnvironmentVariables("DOTNET_").AddEnvironmentVariables("ASPNETCORE_").AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey] ?? AppContext.BaseDirectory,
    };
}
