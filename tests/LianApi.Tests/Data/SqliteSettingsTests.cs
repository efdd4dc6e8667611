using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Data;

/// <summary>The embedded database's durability and concurrency settings, as the running app really has them.</summary>
public sealed class SqliteSettingsTests
{
    [Test]
    public async Task OpenConnection_ThroughTheAppsDataSource_HasWalFullSyncBusyTimeoutForeignKeysAndJournalSizeLimit()
    {
        await using var app = new LianApiFactory();
        app.StartServer();
        var source = app.Service<DbDataSource>();

        // Twice: the second open is a pooled connection, and pragmas must hold there too.
        for (var open = 1; open <= 2; open++)
        {
            await using var connection = await source.OpenConnectionAsync();
            var journalMode = await PragmaAsync(connection, "journal_mode");
            var synchronous = await PragmaAsync(connection, "synchronous");
            var busyTimeout = await PragmaAsync(connection, "busy_timeout");
            var foreignKeys = await PragmaAsync(connection, "foreign_keys");
            var journalSizeLimit = await PragmaAsync(connection, "journal_size_limit");

            Assert.Multiple(() =>
            {
                Assert.That(journalMode, Is.EqualTo("wal"), $"open #{open}: readers must not wait for the writer");
                Assert.That(synchronous, Is.EqualTo("2"), $"open #{open}: FULL, so an acknowledged report survives power loss");
                Assert.That(busyTimeout, Is.EqualTo("5000"), $"open #{open}");
                Assert.That(foreignKeys, Is.EqualTo("1"), $"open #{open}");
                Assert.That(journalSizeLimit, Is.EqualTo(SqliteDataSource.JournalSizeLimit.ToString(CultureInfo.InvariantCulture)),
                    $"open #{open}: a log SQLite restarts is cut back to this size");
            });
        }
    }

    [Test]
    public async Task SubmitComplaint_50InParallel_Each201Or503AndEvery201IsStored()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-in-a-hurry");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => client.SubmitAsync(Requests.Complaint($"第{i}个问题：楼道灯坏了"))));

        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        var trackingNos = new List<string>();
        foreach (var response in created)
        {
            trackingNos.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!);
        }
        var stored = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Complaints"), CancellationToken.None);
        var unexpected = new List<string>();
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            unexpected.Add($"{(int)response.StatusCode} Retry-After={response.Headers.RetryAfter}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
                Has.All.Matches<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable && r.Headers.RetryAfter is not null),
                "only 201, or 503 with Retry-After, is acceptable under load:\n" + string.Join("\n", unexpected));
            Assert.That(created, Is.Not.Empty);
            Assert.That(stored, Is.EqualTo(created.Count), "every 201 is on disk, and nothing else is");
            Assert.That(trackingNos, Is.Unique);
        });
    }

    private static async Task<string> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
