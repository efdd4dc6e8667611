namespace LianApi.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The checkout the tests run from: the folder of LianApi.sln above the test binaries.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LianApi.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new DirectoryNotFoundException("LianApi.sln not found above the test binaries");
    }
}
