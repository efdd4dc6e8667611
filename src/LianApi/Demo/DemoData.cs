using System.Diagnostics;
using System.Threading.Channels;
using LianApi.Auth;
using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Complaints;
using LianApi.Shared;
using LianApi.Staff;
using LianApi.Stats;

namespace LianApi.Demo;

/// <summary>
/// Fills a database with realistic case histories for benchmarks and demos: each case is played through the real
/// ComplaintMachine (accept, escalate, dispatch, return, extension, resolve, ratings, reopen, and the deadline sweep's
/// escalations, overdue marks and unrated closes at their deadlines), then written with the store's own statements,
/// a thousand to a transaction; the statistics rollups are rebuilt from the result at the end.
/// </summary>
public sealed class DemoData(ComplaintStore complaints, OrgDirectory directory, CommunityStore communities, UserStore users,
    CalendarStore calendars, StatsStore stats, BulkLoad bulkLoad, TimeProvider time)
{
    private const int BatchSize = 1000;

    private static readonly (string Code, string Name)[] DemoDepartments =
    [
        ("demo-chengguan", "区城管局（演示）"), ("demo-zhujian", "区住建局（演示）"), ("demo-shuiwu", "区水务局（演示）"), ("demo-huanbao", "区生态环境分局（演示）"),
        ("demo-jiaotong", "区交通运输局（演示）"), ("demo-shichang", "区市场监管局（演示）"),
    ];

    private static readonly string[] Descriptions =
    [
        "楼道灯坏了，晚上看不见台阶", "小区垃圾桶满了没人清运，气味很大", "路面有个坑，电动车容易摔倒", "楼上漏水，天花板在滴水",
        "广场舞音乐太吵，晚上十点还在放", "共享单车堆在人行道上，行人过不去", "小区电梯坏了三天，老人上下楼困难", "下水道堵了，污水漫到路上",
        "路灯不亮，晚上走路不安全", "绿化带里有大量建筑垃圾", "停车位被长期占用", "自来水发黄，有异味",
    ];

    public sealed record Result(int Cases, TimeSpan Elapsed, int RollupRows);

    public async Task<Result> FillAsync(int count, int years, TextWriter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow().UtcDateTime;
        var names = await directory.GetAsync(ct);
        if (names.DepartmentNamesById.Count == 0)
        {
            // Dispatches need departments: a district without imported ones gets a few demo departments.
            await communities.UpsertDepartmentsAsync([.. DemoDepartments.Select(d => new DepartmentUpsert(d.Code, d.Name))], ct);
            directory.Invalidate();
            names = await directory.GetAsync(ct);
        }
        IReadOnlyList<(long Id, string Name)> departments = [.. names.DepartmentNamesById.OrderBy(d => d.Key).Select(d => (d.Key, d.Value))];
        var calendar = await calendars.GetAsync(ct);
        if (names.Communities.Count == 0 || names.Categories.Count == 0)
        {
            throw new InvalidOperationException("Import the org (communities, categories) first: demo cases need somewhere to happen.");
        }
        var random = new Random(20261202);
        var residents = await users.UpsertManyAsync("lianapi-demo", [.. Enumerable.Range(0, Math.Clamp(count / 50, 1, 20_000)).Select(i => $"demo-resident-{i}")], now, ct);
        var span = TimeSpan.FromDays(365 * Math.Max(1, years));
        // Written in the order they were received, as the app writes reports: ids and tracking numbers follow time.
        var ages = new double[count];
        for (var i = 0; i < count; i++)
        {
            ages[i] = random.NextDouble() * span.TotalSeconds;
        }
        Array.Sort(ages, (a, b) => b.CompareTo(a));
        // A second fill into the same database gives its cases their own request ids: the residents are the same.
        var run = now.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var deferred = await bulkLoad.BeginAsync(count, ct);
        // The dice are played on one core while the writer stores the previous batches on the other.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<List<ImportedComplaint>>(2);
        var playing = Task.Run(async () =>
        {
            try
            {
                var batch = new List<ImportedComplaint>(BatchSize);
                for (var i = 0; i < count; i++)
                {
                    var submittedAt = now - TimeSpan.FromSeconds(ages[i]);
                    batch.Add(Play(random, names, departments, calendar, residents[random.Next(residents.Count)], submittedAt, now, $"demo-{run}-{i}"));
                    if (batch.Count == BatchSize || i == count - 1)
                    {
                        await batches.Writer.WriteAsync(batch, stop.Token);
                        batch = new List<ImportedComplaint>(BatchSize);
                    }
                }
                batches.Writer.TryComplete();
            }
            catch (Exception e)
            {
                batches.Writer.TryComplete(e);
            }
        }, CancellationToken.None);
        var stored = 0;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                await complaints.ImportAsync(batch, ct);
                stored += batch.Count;
                Progress(progress, stored, count, clock.Elapsed);
            }
        }
        catch
        {
            await stop.CancelAsync();
            if (deferred > 0)
            {
                progress.WriteLine();
                progress.WriteLine($"Stopped: the {deferred} case indexes set aside for the load are built at the next start (or by the migrate verb).");
            }
            throw;
        }
        finally
        {
            await playing;
        }
        progress.WriteLine();
        if (deferred > 0)
        {
            progress.WriteLine($"Building the {deferred} case indexes set aside for the load…");
        }
        await bulkLoad.EndAsync(ct);
        progress.WriteLine("Rebuilding the statistics rollups from the cases…");
        var rows = await stats.RebuildAsync(ct);
        return new Result(count, clock.Elapsed, rows);
    }

    private static void Progress(TextWriter progress, int done, int total, TimeSpan elapsed)
    {
        var width = 30;
        var filled = (int)((long)done * width / total);
        progress.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} cases, {done / Math.Max(0.001, elapsed.TotalSeconds):F0}/s   ");
    }

    /// <summary>One case's life, decided by dice and played by the machine up to now.</summary>
    private static ImportedComplaint Play(Random dice, OrgDirectory.Snapshot names, IReadOnlyList<(long Id, string Name)> departments,
        WorkingCalendar calendar, long userId, DateTime submittedAt, DateTime now, string clientRequestId)
    {
        var community = names.Communities[dice.Next(names.Communities.Count)];
        // Sanitation, property and roads are most of a district's reports; emergencies are few.
        var category = names.Categories[Math.Min(names.Categories.Count - 1, (int)(Math.Pow(dice.NextDouble(), 2) * names.Categories.Count))];
        var description = Descriptions[dice.Next(Descriptions.Length)];
        var c = new Complaint
        {
            UserId = userId, Description = description, Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Community,
            HandlingUnitId = community.Id, HandlingUnitName = community.Name, SubmittedAt = submittedAt, ReceivedAt = submittedAt,
            ResponseDueAt = submittedAt.AddHours(category.ResponseHours), CommunityId = community.Id, CategoryId = category.Id,
            CommunityCode = community.Code, CommunityName = community.Name, StreetId = community.StreetId, StreetName = community.StreetName,
            CategoryCode = category.Code, CategoryName = category.Name, CategoryIsEmergency = category.IsEmergency,
            ResponseHours = category.ResponseHours, ResolutionWorkingDays = category.ResolutionWorkingDays,
            PublicConsent = dice.NextDouble() < 0.6,   // most residents let a resolved case appear on the public wall
        };
        var submitted = c;
        var events = new List<ComplaintEventRow>
        {
            new() { Kind = EventKinds.Submitted, Status = ComplaintStatus.Submitted, UnitName = community.Name, OccurredAt = submittedAt, IsPublic = true },
        };
        var ratings = new List<(int, Evaluation, DateTime)>();
        var at = submittedAt;
        var live = true;

        // Runs the deadline sweep for every deadline passed before `until`, as the background sweep would have.
        void SweepUntil(DateTime until)
        {
            while (live && c.NextSweepAt is { } due && due < until && due < now)
            {
                var sweptAt = due.AddMinutes(1);
                if (ComplaintMachine.Sweep(c, sweptAt) is not { } swept)
                {
                    return;
                }
                Record(swept, sweptAt, null);
            }
        }

        void Record(Transition t, DateTime when, Evaluation? rating)
        {
            var next = CaseFacts.Advance(c, t.Next, t.Events, rating, t.CallBack, null, when);
            events.AddRange(t.Events.Select(e => new ComplaintEventRow
            {
                Kind = e.Kind, Status = next.Status, UnitName = e.UnitName ?? c.HandlingUnitName, Note = e.Note, IsPublic = e.IsPublic, OccurredAt = when,
            }));
            c = next with { HandlingUnitName = names.UnitName(next.HandlingLevel, next.HandlingUnitId) ?? next.HandlingUnitName };
            at = when;
        }

        // Staff of whichever unit holds the case now.
        StaffMember Holder() => c.HandlingLevel switch
        {
            HandlingLevel.Community => new StaffMember { Id = 0, Role = StaffRoles.Community, UnitId = c.HandlingUnitId, UnitName = c.HandlingUnitName, IsActive = true },
            HandlingLevel.Street => new StaffMember { Id = 0, Role = StaffRoles.Street, UnitId = c.HandlingUnitId, UnitName = c.HandlingUnitName, IsActive = true },
            HandlingLevel.Department => new StaffMember { Id = 0, Role = StaffRoles.Department, UnitId = c.HandlingUnitId, UnitName = c.HandlingUnitName, IsActive = true },
            HandlingLevel.District => Dispatcher,
            _ => throw Vocabulary.Unknown("handling levels", c.HandlingLevel),
        };

        bool Act(string action, TimeSpan after, ActionInput input, StaffMember? staff = null)
        {
            var when = at + after;
            SweepUntil(when);
            if (!live || when >= now)
            {
                live = false;
                return false;
            }
            var decision = ComplaintMachine.Apply(c, action, staff ?? Holder(), input, when, calendar);
            if (decision.Transition is not { } t)
            {
                return false;
            }
            Record(t, when, null);
            return true;
        }

        TimeSpan Hours(double min, double max) => TimeSpan.FromHours(min + dice.NextDouble() * (max - min));

        var roll = dice.NextDouble();
        if (roll < 0.03)
        {
            Act(ComplaintActions.Reject, Hours(0.5, 6), new ActionInput(Reason: "不属于受理范围，已告知居民相关渠道"));
        }
        else
        {
            if (roll < 0.05)
            {
                SweepUntil(c.ResponseDueAt.AddHours(2));   // nobody accepted in time: the street gets it
            }
            else if (roll < 0.15)
            {
                Act(ComplaintActions.Escalate, Hours(0.5, 4), new ActionInput(Reason: "需要街道协调"));
                if (roll < 0.10 && departments.Count > 0)
                {
                    Act(ComplaintActions.Escalate, Hours(1, 6), new ActionInput(Reason: "涉及部门职责"));
                    var department = departments[dice.Next(departments.Count)];
                    Act(ComplaintActions.Dispatch, Hours(0.5, 3), new ActionInput(Target: new DispatchTarget(HandlingLevel.Department, department.Id, department.Name)), Dispatcher);
                    if (roll < 0.07)
                    {
                        Act(ComplaintActions.Accept, Hours(0.5, 8), new ActionInput());
                        Act(ComplaintActions.Return, Hours(1, 12), new ActionInput(Reason: "不属于本部门职责"));
                        var other = departments[dice.Next(departments.Count)];
                        Act(ComplaintActions.Dispatch, Hours(0.5, 3), new ActionInput(Target: new DispatchTarget(HandlingLevel.Department, other.Id, other.Name)), Dispatcher);
                    }
                }
            }
            Act(ComplaintActions.Accept, Hours(0.2, Math.Max(0.5, c.ResponseHours * 0.9)), new ActionInput());
            if (dice.NextDouble() < 0.05)
            {
                Act(ComplaintActions.RequestExtension, Hours(12, 48), new ActionInput(Reason: "需要采购材料", NewDueAt: (c.ResolutionDueAt ?? at).AddDays(7)));
                Act(ComplaintActions.ApproveExtension, Hours(1, 6), new ActionInput(), Dispatcher);
            }
            // Most cases are resolved within their working days; some run late and are marked overdue first.
            var workingDays = Math.Max(1, c.ResolutionWorkingDays);
            Act(ComplaintActions.Resolve, Hours(2, 24 * workingDays * (dice.NextDouble() < 0.9 ? 1.2 : 2.5)), new ActionInput(Reply: "已处理完毕，请您查看"));
            for (var round = 0; live && c.Status == ComplaintStatus.Resolved && round < 3; round++)
            {
                var r = dice.NextDouble();
                if (r < 0.25)
                {
                    SweepUntil(now);   // never rated: closed after 7 days
                    break;
                }
                var (solved, satisfaction) = r < 0.85 ? (true, Satisfaction.Satisfied) : r < 0.96 ? (true, Satisfaction.BasicallySatisfied) : (false, Satisfaction.Unsatisfied);
                var when = at + Hours(2, 72);
                if (when >= now)
                {
                    break;
                }
                var rating = new Evaluation(solved, satisfaction, null);
                if (ComplaintMachine.Evaluate(c, solved, satisfaction, null, when, calendar).Transition is not { } rated)
                {
                    break;
                }
                ratings.Add((c.ReopenCount, rating, when));
                Record(rated, when, rating);
                if (c.Status != ComplaintStatus.Closed)
                {
                    Act(ComplaintActions.Resolve, Hours(4, 48), new ActionInput(Reply: "已重新处理"));
                }
            }
        }
        SweepUntil(now);
        return new ImportedComplaint(submitted, c with { Version = 1 }, clientRequestId, events, ratings);
    }

    private static readonly StaffMember Dispatcher = new() { Id = 0, Role = StaffRoles.Dispatcher, UnitName = DispatchCenter.Name, IsActive = true };
}
