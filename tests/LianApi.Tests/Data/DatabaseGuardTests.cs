using Dapper;
using LianApi.Data;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LianApi.Tests.Data;

/// <summary>
/// A write nested in another write waits for the unit it is part of: on SQLite for its own single writer, until
/// the write lock timeout. Database refuses it at once instead, and the unit around it carries on normally.
/// </summary>
public sealed class DatabaseGuardTests
{
    private const string InsertDepartment = "INSERT INTO Departments (Code, Name) VALUES (@Code, @Name)";
    private const string CountDepartments = "SELECT COUNT(*) FROM Departments WHERE Code = @Code";

    private LianApiFactory app = null!;

    [OneTimeSetUp]
    public void StartApp() => app = new LianApiFactory();

    [OneTimeTearDown]
    public async Task StopApp() => await app.DisposeAsync();

    // The app's own instance, owned (and disposed) by its container.
    private Database Db => app.Service<Database>();

    [Test]
    public async Task WriteAsync_InsideAWriteUnitOnSqlite_FailsAtOnceAndTheOuterUnitCommits()
    {
        Exception? nested = null;

        var outcome = await Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "guard-outer", Name = "外层" }, tx));
            nested = FailureAtOnce(() => Db.WriteAsync((c2, tx2) =>
                c2.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "guard-inner", Name = "内层" }, tx2)), CancellationToken.None));
            return "outer done";
        }, CancellationToken.None);
        var following = await InsertAsync("guard-following");
        var (outerRows, innerRows, followingRows) = (await CountAsync("guard-outer"), await CountAsync("guard-inner"), await CountAsync("guard-following"));

        Assert.Multiple(() =>
        {
            Assert.That(nested, Is.TypeOf<InvalidOperationException>(), "the nested write must fail before it can queue behind its own unit");
            Assert.That(nested?.Message, Is.EqualTo(Database.NestedWriteMessage));
            Assert.That(outcome, Is.EqualTo("outer done"));
            Assert.That(outerRows, Is.EqualTo(1), "the outer unit commits");
            Assert.That(innerRows, Is.Zero, "the refused write never runs");
            Assert.That(following, Is.EqualTo(1), "the writer is not wedged");
            Assert.That(followingRows, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ReadAsync_InsideAWriteUnit_FailsAtOnceAndTheUnitCarriesOn()
    {
        Exception? read = null;

        var outcome = await Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "guard-read", Name = "读" }, tx));
            read = FailureAtOnce(() => Db.ReadAsync(c2 => c2.ExecuteScalarAsync<long>(new CommandDefinition(CountDepartments, new { Code = "guard-read" })), CancellationToken.None));
            return "unit done";
        }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(read, Is.TypeOf<InvalidOperationException>(), "a second pooled connection inside a write is refused");
            Assert.That(read?.Message, Is.EqualTo(Database.ReadInWriteMessage));
            Assert.That(outcome, Is.EqualTo("unit done"));
            Assert.That(await CountAsync("guard-read"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task WriteAsync_NestedWriteLeavesTheUnit_RollsBackTheUnitAndTheNextWriteCommits()
    {
        var thrown = Assert.ThrowsAsync<InvalidOperationException>(() => Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "guard-rolled-back", Name = "回滚" }, tx));
            return await Db.WriteAsync((c2, tx2) =>
                c2.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "guard-never", Name = "从未" }, tx2)), CancellationToken.None);
        }, CancellationToken.None));
        var following = await InsertAsync("guard-after-rollback");
        var (rolledBackRows, neverRows, followingRows) = (await CountAsync("guard-rolled-back"), await CountAsync("guard-never"), await CountAsync("guard-after-rollback"));

        Assert.Multiple(() =>
        {
            Assert.That(thrown?.Message, Is.EqualTo(Database.NestedWriteMessage));
            Assert.That(rolledBackRows, Is.Zero, "the failed unit is rolled back to its savepoint");
            Assert.That(neverRows, Is.Zero);
            Assert.That(following, Is.EqualTo(1), "the writer is not wedged");
            Assert.That(followingRows, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task WriteAsync_FromATaskAUnitStartedThatWritesAfterTheUnitCommitted_Succeeds()
    {
        // The task inherits the unit's execution context; the guard must not outlive the unit it marks.
        var unitCommitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int>? later = null;

        await Db.WriteAsync((c, tx) =>
        {
            later = Task.Run(async () =>
            {
                await unitCommitted.Task;
                return await InsertAsync("guard-later");
            });
            return c.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "guard-starter", Name = "发起" }, tx));
        }, CancellationToken.None);
        unitCommitted.SetResult();

        Assert.That(await later!, Is.EqualTo(1));
        Assert.That(await CountAsync("guard-later"), Is.EqualTo(1));
    }

    [Test]
    public async Task WriteAsync_InsideAWriteUnitOnSqlServer_FailsAtOnceAndSendsNothing()
    {
        // Without a server: the recording source takes the SQL Server path (one transaction per unit, no queue).
        var source = new RecordingDataSource();
        await using var sqlServer = new Database(source, SqlDialect.SqlServer, Options.Create(new DatabaseOptions()),
            new StorageHealth(TimeProvider.System, NullLogger<StorageHealth>.Instance), TimeProvider.System, NullLogger<Database>.Instance);
        Exception? nested = null;

        await sqlServer.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "outer", Name = "外层" }, tx));
            nested = FailureAtOnce(() => sqlServer.WriteAsync((c2, tx2) =>
                c2.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "inner", Name = "内层" }, tx2)), CancellationToken.None));
            return 0;
        }, CancellationToken.None);
        await sqlServer.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = "following", Name = "之后" }, tx)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(nested, Is.TypeOf<InvalidOperationException>());
            Assert.That(nested?.Message, Is.EqualTo(Database.NestedWriteMessage));
            Assert.That(source.Commands, Has.Count.EqualTo(2), "the outer insert and the following one; the nested unit never opened a connection");
        });
    }

    /// <summary>
    /// "At once" without a clock: the call fails before it returns, or returns an already failed task. A write that
    /// had been queued would return a pending task, and waiting on it is exactly the deadlock under test.
    /// </summary>
    private static Exception? FailureAtOnce(Func<Task> write)
    {
        Task task;
        try
        {
            task = write();
        }
        catch (Exception e)
        {
            return e;
        }
        return task.IsFaulted ? task.Exception!.InnerException : null;
    }

    private Task<int> InsertAsync(string code) =>
        Db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertDepartment, new { Code = code, Name = code }, tx)), CancellationToken.None);

    private Task<long> CountAsync(string code) =>
        Db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(CountDepartments, new { Code = code })), CancellationToken.None);
}
