using System.Diagnostics;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// Debian's chromium for Playwright (its own browser download is not reachable from our machines). A fresh CI machine gets the
/// package installed here when the tests run as root; anyone else is told how, and the browser tests are ignored.
/// </summary>
public static class DebianChromium
{
    public const string Path = "/usr/bin/chromium";

    public static void EnsureInstalled()
    {
        if (File.Exists(Path))
        {
            return;
        }
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            Assert.Ignore($"{Path} is missing: install it with `apt-get install -y chromium fonts-noto-cjk` (as root) to run the console's browser tests.");
        }
        // Chinese pages need a CJK font, or every screenshot is boxes.
        if (Run("apt-get", "install -y --no-install-recommends chromium fonts-noto-cjk") != 0)
        {
            Run("apt-get", "update");
            Run("apt-get", "install -y --no-install-recommends chromium fonts-noto-cjk");
        }
        if (!File.Exists(Path))
        {
            Assert.Ignore($"apt-get could not install chromium (see the test output); {Path} is needed for the console's browser tests.");
        }
    }

    private static int Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            return -1;
        }
        TestContext.Progress.WriteLine($"{file} {arguments}: exit {process.ExitCode}\n{error.Result}");
        _ = output.Result;
        return process.ExitCode;
    }
}
