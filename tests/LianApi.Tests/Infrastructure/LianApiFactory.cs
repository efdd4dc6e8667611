using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Tests.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// The real app on real Kestrel (loopback, random port) over its own SQLite file. Each test that needs
/// isolation creates its own factory; settings override everything in appsettings.
/// </summary>
public sealed class LianApiFactory : WebApplicationFactory<Program>
{
    public const string TestJwtKey = "bGlhbmFwaS10ZXN0cy1zaWduaW5nLWtleS0zMi1ieXRlcyEhISE=";
    public const string TestPhoneKey = "cGhvbmUta2V5LWZvci10ZXN0cy0zMi1ieXRlcy0xMjM=";
    public const string TestPhotoKey = "cGhvdG8tbGluay1rZXktZm9yLXRlc3RzLTMyLWJ5dGVz";

    private readonly Dictionary<string, string?> settings;
    private readonly string environment;
    private readonly Action<IServiceCollection>? configureServices;
    private readonly Action<IServiceCollection>? configureTestServices;

    public LianApiFactory(IDictionary<string, string?>? overrides = null, string environment = "Development",
        Action<IServiceCollection>? configureServices = null, bool kestrel = true, Action<IServiceCollection>? configureTestServices = null)
    {
        this.environment = environment;
        this.configureServices = configureServices;
        this.configureTestServices = configureTestServices;
        DataDirectory = Path.Combine(Path.GetTempPath(), "lianapi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lian"] = $"Data Source={Path.Combine(DataDirectory, "lian.db")}",
            ["DataDirectory"] = DataDirectory,
            ["Jwt:SigningKey"] = TestJwtKey,
            ["Privacy:PhoneKey"] = TestPhoneKey,
            ["Photos:SigningKey"] = TestPhotoKey,
            ["Wechat:Mode"] = "Emulator",
            ["RateLimiting:LoginsPerMinute"] = "100000",
            ["RateLimiting:LoginBurst"] = "100000",
            ["RateLimiting:SubmissionsPer10Minutes"] = "1000",
            ["RateLimiting:SubmissionsPerDay"] = "1000",
            // The report job would write yesterday's report at every app's start (and on every jump of a fake clock past
            // 07:30): work and disk no other test asked for. DailyReportJobTests turns it on.
            ["Reports:Enabled"] = "false",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        if (kestrel)
        {
            UseKestrel(0);
        }
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "lian.db");

    public LogCollector Logs { get; } = new();

    /// <summary>Every answer this app gave, for the contract check against api-spec/openapi.json.</summary>
    public ContractRecorder Contract { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(Contract));
        // Every JSON answer of every test is held to the time policy.
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TimestampAudit>());
        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
        if (configureTestServices is not null)
        {
            // After the app's own registrations: for removing or replacing them.
            builder.ConfigureTestServices(configureTestServices);
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        // The app refuses a bad setting by writing one line and exiting with code 1, which only a process shows: here the
        // factory would go on with a host that never started, so it fails the same way, naming the key.
        if (host.Services.ConfigurationError() is { } error)
        {
            host.Dispose();
            throw new InvalidOperationException(error);
        }
        return host;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client on the real server, logged in (through the emulator or the fake WeChat) with this code.</summary>
    public async Task<HttpClient> LoginAsync(string code)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/wechat-login", new { code });
        response.EnsureSuccessStatusCode();
        var login = (await response.Content.ReadFromJsonAsync<LoginResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test over it would not be.
        }
    }
}

/// <summary>Every log line the app writes, formatted, so tests can prove secrets never reach the logs.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly Lock gate = new();
    private readonly List<(Func<IEnumerable<string>, bool> Done, TaskCompletionSource Signal)> waiters = [];

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    /// <summary>
    /// Completes once the lines written so far satisfy <paramref name="done"/>, checked as each line arrives: a test waits
    /// for what a background job says it did, without polling or sleeping.
    /// </summary>
    public Task WhenAsync(Func<IEnumerable<string>, bool> done)
    {
        lock (gate)
        {
            if (done(Lines))
            {
                return Task.CompletedTask;
            }
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((done, signal));
            return signal.Task;
        }
    }

    private void Add(string line)
    {
        Lines.Enqueue(line);
        lock (gate)
        {
            foreach (var waiter in waiters.Where(w => w.Done(Lines)).ToList())
            {
                waiters.Remove(waiter);
                waiter.Signal.SetResult();
            }
        }
    }

    public void Dispose()
    {
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
