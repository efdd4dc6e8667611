using System.Data.Common;
using Dapper;
using LianApi.Data;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LianApi.Tests.Data;

/// <summary>
/// The writer's connection keeps the statements it compiled: the same text runs again on the same compiled command,
/// with the new call's parameters, and a query run while another reader of the same text is open still works.
/// </summary>
public sealed class StatementCachingConnectionTests
{
    private string directory = "";

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("lianapi-statements-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<StatementCachingConnection> OpenAsync()
    {
        var inner = new SqliteConnection($"Data Source={Path.Combine(directory, "t.db")}");
        await inner.OpenAsync();
        var connection = new StatementCachingConnection(inner);
        await connection.ExecuteAsync("CREATE TABLE Items (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL)");
        return connection;
    }

    [Test]
    public async Task SameText_RunsOnOneCompiledCommand_WithEachCallsOwnParameters()
    {
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 1; i <= 100; i++)
        {
            await connection.ExecuteAsync("INSERT INTO Items (Name) VALUES (@Name)", new { Name = $"第{i}件" }, transaction);
        }
        var names = (await connection.QueryAsync<string>("SELECT Name FROM Items WHERE Id IN (1, 50, 100) ORDER BY Id", transaction: transaction)).ToList();
        var last = await connection.ExecuteScalarAsync<long>("INSERT INTO Items (Name) VALUES (@Name) RETURNING Id", new { Name = "最后" }, transaction);
        await transaction.CommitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "第1件", "第50件", "第100件" }), "each execution bound its own value");
            Assert.That(last, Is.EqualTo(101));
            // CREATE TABLE, the INSERT, the SELECT and the INSERT ... RETURNING: one compiled command per text, not per call.
            Assert.That(connection.CompiledCount, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task ABatchOfStatements_RunsInOrder_EachStatementGivenOnlyTheParametersItNames()
    {
        await using var connection = await OpenAsync();
        const string batch = """
            INSERT INTO Items (Name) VALUES (@First);
            INSERT INTO Items (Name) VALUES (@Second);
            SELECT COUNT(*) FROM Items WHERE Name IN (@First, @Second);
            """;
        var parameters = new { First = "甲", Second = "乙", Unused = "丙" };

        var count = await connection.ExecuteScalarAsync<long>(batch, parameters);
        var changed = await connection.ExecuteAsync(batch, parameters);
        var names = (await connection.QueryAsync<string>("SELECT Name FROM Items ORDER BY Id")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(2), "the first statement that answers rows, after the two before it ran");
            Assert.That(changed, Is.EqualTo(2), "the rows the changing statements changed, as one command counts them");
            Assert.That(names, Is.EqualTo(new[] { "甲", "乙", "甲", "乙" }));
            // Microsoft.Data.Sqlite would try every parameter of the command on every statement (three prefixes each).
            Assert.That(connection.StatementParameters(batch)!.Select(p => p.Order().ToArray()),
                Is.EqualTo(new[] { new[] { "First" }, ["Second"], ["First", "Second"] }));
        });
    }

    [Test]
    public async Task ABatchWhoseLaterStatementNeedsAnEarlierOnesTable_RunsAsOneCommand()
    {
        await using var connection = await OpenAsync();
        const string batch = "CREATE TABLE Later (X TEXT);\nINSERT INTO Later (X) VALUES (@X);";

        await connection.ExecuteAsync(batch, new { X = "甲" });

        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT X FROM Later"), Is.EqualTo("甲"));
    }

    [Test]
    public async Task QueryInsideAnOpenReaderOfTheSameText_RunsOnItsOwnCommand()
    {
        await using var connection = await OpenAsync();
        await connection.ExecuteAsync("INSERT INTO Items (Name) VALUES ('甲'), ('乙')");
        const string byId = "SELECT Id, Name FROM Items WHERE Id >= @Id ORDER BY Id";

        var outer = new List<string>();
        var inner = new List<string>();
        await using (var reader = await connection.ExecuteReaderAsync(byId, new { Id = 1 }))
        {
            while (await reader.ReadAsync())
            {
                outer.Add(reader.GetString(1));
                inner.AddRange(await connection.QueryAsync<string>("SELECT Name FROM Items WHERE Id >= @Id ORDER BY Id", new { Id = 2 }));
                // The same text as the open reader's: a command of its own, the open reader is not disturbed.
                inner.AddRange((await connection.QueryAsync<(long Id, string Name)>(byId, new { Id = 2 })).Select(r => r.Name));
            }
        }
        var again = (await connection.QueryAsync<(long Id, string Name)>(byId, new { Id = 1 })).Select(r => r.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(outer, Is.EqualTo(new[] { "甲", "乙" }));
            Assert.That(inner, Is.EqualTo(new[] { "乙", "乙", "乙", "乙" }));
            Assert.That(again, Is.EqualTo(new[] { "甲", "乙" }), "the kept command serves again once its reader closed");
        });
    }

    [Test]
    public async Task AFailedStatement_LeavesTheCompiledCommandUsable()
    {
        await using var connection = await OpenAsync();
        const string insert = "INSERT INTO Items (Id, Name) VALUES (@Id, @Name)";
        await connection.ExecuteAsync(insert, new { Id = 1, Name = "甲" });

        Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(insert, new { Id = 1, Name = "重复" }));
        await connection.ExecuteAsync(insert, new { Id = 2, Name = "乙" });

        var names = (await connection.QueryAsync<string>("SELECT Name FROM Items ORDER BY Id")).ToList();
        Assert.That(names, Is.EqualTo(new[] { "甲", "乙" }));
    }

    [Test]
    public async Task WriterConnection_KeepsStatementJournalsInMemory_AndReadersKeepTheDefault()
    {
        await using var app = new LianApiFactory();
        app.StartServer();
        var db = app.Service<Database>();

        // 2 = MEMORY: each unit's savepoint copies the pages it changes; in a temp file that cost more than the INSERT.
        var writer = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA temp_store", transaction: tx)), CancellationToken.None);
        await using var reader = await app.Service<DbDataSource>().OpenConnectionAsync();
        var readerSetting = await reader.ExecuteScalarAsync<long>("PRAGMA temp_store");

        Assert.Multiple(() =>
        {
            Assert.That(writer, Is.EqualTo(2));
            Assert.That(readerSetting, Is.EqualTo(0), "large sorts of readers still spill to disk");
        });
    }

    [Test]
    public async Task Reads_BorrowAKeptConnection_AndAFailedReadsConnectionIsNotKept()
    {
        await using var app = new LianApiFactory();
        app.StartServer();
        var db = app.Service<Database>();
        const string query = "SELECT COUNT(*) FROM Streets";

        var first = await db.ReadAsync(async c => { await c.ExecuteScalarAsync<long>(query); return c; }, CancellationToken.None);
        var second = await db.ReadAsync(async c => { await c.ExecuteScalarAsync<long>(query); return c; }, CancellationToken.None);
        var compiled = ((StatementCachingConnection)second).CompiledCount;
        Assert.ThrowsAsync<SqliteException>(() => db.ReadAsync(async c => { await c.ExecuteScalarAsync<long>("SELECT * FROM NoSuchTable"); return c; }, CancellationToken.None));
        var afterFailure = await db.ReadAsync(c => Task.FromResult(c), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first), "one reader at a time: the same kept connection, its statements still compiled");
            Assert.That(compiled, Is.GreaterThanOrEqualTo(1), "what the reads compiled stays compiled");
            Assert.That(afterFailure, Is.Not.SameAs(first), "the connection whose read failed was closed, not kept");
        });
    }
}
