using System.Collections.Concurrent;
using System.Diagnostics;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// The built app started as operators start it, <c>dotnet LianApi.dll …</c>, in a process of its own with the working
/// directory and environment a test gives it (the test output's copy of LianApi.dll, so it is always the current build).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly ConcurrentQueue<string> error = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(string workingDirectory, IDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // Only what the test says: nothing of the test runner's own hosting environment leaks into the app.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Received(output, line.Data);
        process.ErrorDataReceived += (_, line) => Received(error, line.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The app exited with {process.ExitCode} before it listened:\n{Report()}"));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static AppProcess Start(string workingDirectory, IDictionary<string, string> environment, params string[] args) =>
        new(workingDirectory, environment, args);

    public IReadOnlyList<string> Output => [.. output];

    public IReadOnlyList<string> Error => [.. error];

    /// <summary>The address Kestrel reported it listens on (start the app with <c>--urls http://127.0.0.1:0</c>).</summary>
    public Task<Uri> ListeningAsync() => listening.Task.WaitAsync(Budget);

    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(Budget);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    /// <summary>Everything the app wrote, for assertion messages.</summary>
    public string Report() => $"stdout:\n{string.Join('\n', output)}\nstderr:\n{string.Join('\n', error)}";

    private void Received(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }
        lines.Enqueue(line);
        const string Listening = "Now listening on: ";
        if (line.Contains(Listening, StringComparison.Ordinal))
        {
            listening.TrySetResult(new Uri(line[(line.IndexOf(Listening, StringComparison.Ordinal) + Listening.Length)..].Trim()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
