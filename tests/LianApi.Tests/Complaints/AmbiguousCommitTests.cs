using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Complaints;

/// <summary>
/// On SQL Server a COMMIT can fail after it succeeded (40197, 40613), and the unit of work runs again. The second run
/// must find its own write rather than report a conflict, and must not write the timeline or an audit row twice
/// (issue 15 §3). Here the second run is made by hand, on SQLite, through the same store.
/// </summary>
public sealed class AmbiguousCommitTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [Test]
    public async Task Apply_SameUnitRunTwice_SecondRunFindsItsOwnWriteAndAddsNothing()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("ambiguous-commit");
        var trackingNo = await resident.FileAsync();
        var store = app.Service<ComplaintStore>();
        var loaded = (await store.LoadAsync(trackingNo, Ct))!;
        var now = new DateTime(2030, 6, 1, 2, 0, 0, DateTimeKind.Utc);
        var urge = ComplaintMachine.Urge(loaded.Complaint, now).Transition!;

        var first = await store.ApplyAsync(loaded, urge, Actor.Resident(loaded.Complaint.UserId), now, "unit-0001", null, Ct);
        var again = await store.ApplyAsync(loaded, urge, Actor.Resident(loaded.Complaint.UserId), now, "unit-0001", null, Ct);
        var someoneElse = await store.ApplyAsync(loaded, urge, Actor.Resident(loaded.Complaint.UserId), now, "unit-0002", null, Ct);

        var events = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM ComplaintEvents e JOIN Complaints c ON c.Id = e.ComplaintId WHERE c.TrackingNo = @TrackingNo AND e.Kind = 'urged'",
            new { TrackingNo = trackingNo }, cancellationToken: Ct)), Ct);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Null);
            Assert.That(again, Is.Not.Null, "the retry of a committed unit is that unit's success, not a 409");
            Assert.That(again!.Complaint.Version, Is.EqualTo(first!.Complaint.Version));
            Assert.That(someoneElse, Is.Null, "another unit decided on the old version still loses");
            Assert.That(events, Is.EqualTo(1), "the timeline holds the action once");
        });
    }

    [Test]
    public async Task RevealPhone_SameRevealRunTwice_IsAuditedOnce()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("ambiguous-reveal");
        var trackingNo = await resident.FileAsync(phone: "13812345678");
        await app.StaffAsync("ambiguous-reveal-staff", "community", "gongyuanmen");
        var complaint = app.Case(trackingNo);
        var staffId = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT MAX(Id) FROM Staff", cancellationToken: Ct)), Ct);
        var now = new DateTime(2030, 6, 1, 2, 0, 0, DateTimeKind.Utc);

        await app.Service<ComplaintStore>().RevealPhoneAsync(complaint.Id, staffId, now, Ct);
        await app.Service<ComplaintStore>().RevealPhoneAsync(complaint.Id, staffId, now, Ct);

        var rows = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM PhoneReveals WHERE ComplaintId = @Id", new { complaint.Id }, cancellationToken: Ct)), Ct);
        Assert.That(rows, Is.EqualTo(1));
    }
}
