using LianApi.Complaints;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.StaffConsole;

/// <summary>What came of a console form: the case as it is now, or the API's problem (its detail, and field errors by JSON name).</summary>
public sealed record ConsoleOutcome<T>(T? Value, int Status, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Value is not null;
}

/// <summary>
/// The console's door to staff work. A form becomes the API's own request record, validated by the API's validator, and is
/// handed to the API's own handler (<see cref="StaffComplaintsApi.ActOnComplaint"/>, <see cref="StaffComplaintsApi.RevealContact"/>):
/// the same authorization, state machine, audit and timeline entry, no second copy of a rule.
/// </summary>
public sealed class ConsoleActions(ApiValidation validation, IServiceProvider services)
{
    public async Task<ConsoleOutcome<StaffComplaintDetail>> ActAsync(string trackingNo, string action, StaffActionRequest request, int? version,
        StaffMember staff, CancellationToken ct)
    {
        if (await validation.ErrorsAsync(request, ct) is { Count: > 0 } errors)
        {
            return new(null, StatusCodes.Status400BadRequest, Resources.Messages.DetailValidation, errors);
        }
        var result = await StaffComplaintsApi.ActOnComplaint(trackingNo, action, request,
            version?.ToString(System.Globalization.CultureInfo.InvariantCulture), staff, ActivatorUtilities.CreateInstance<StaffActionServices>(services), ct);
        return Outcome<StaffComplaintDetail>(result.Result);
    }

    public async Task<ConsoleOutcome<ContactResponse>> RevealContactAsync(string trackingNo, StaffMember staff, CancellationToken ct)
    {
        var result = await StaffComplaintsApi.RevealContact(trackingNo, staff, services.GetRequiredService<ComplaintStore>(),
            services.GetRequiredService<Privacy.PhoneProtector>(), services.GetRequiredService<TimeProvider>(), ct);
        return Outcome<ContactResponse>(result.Result);
    }

    public async Task<ConsoleOutcome<StaffComplaintDetail>> ReadAsync(string trackingNo, StaffMember staff, CancellationToken ct)
    {
        var result = await StaffComplaintsApi.GetStaffComplaint(trackingNo, staff, services.GetRequiredService<ComplaintStore>(),
            services.GetRequiredService<Photos.PhotoLinks>(), services.GetRequiredService<TimeProvider>(), ct);
        return Outcome<StaffComplaintDetail>(result.Result);
    }

    public async Task<ConsoleOutcome<InboxPage>> ListAsync(InboxQuery query, HttpRequest request, StaffMember staff, CancellationToken ct)
    {
        if (await validation.ErrorsAsync(query, ct) is { Count: > 0 } errors)
        {
            return new(null, StatusCodes.Status400BadRequest, Resources.Messages.DetailValidation, errors);
        }
        var result = await StaffComplaintsApi.ListInbox(query, request, staff, services.GetRequiredService<StaffInboxStore>(), ct);
        return Outcome<InboxPage>(result.Result);
    }

    /// <summary>
    /// Photos chosen in a form, each uploaded by the API's own handler behind POST /api/photos (the same checks, cleaning
    /// and limits as the mini-program's); their ids, or the first problem, as an error of the form's photoIds field.
    /// </summary>
    public async Task<(IReadOnlyList<string> Ids, ConsoleOutcome<StaffComplaintDetail>? Problem)> UploadPhotosAsync(IReadOnlyList<IFormFile> files,
        HttpContext http, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var file in files)
        {
            var result = await Photos.PhotosApi.UploadPhoto(file, http.User, http, services.GetRequiredService<Photos.PhotoStore>(),
                services.GetRequiredService<Photos.PhotoCleaner>(), services.GetRequiredService<Photos.PhotoLinks>(), services.GetRequiredService<Photos.PhotoGate>(),
                services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Photos.PhotoOptions>>(), services.GetRequiredService<Wechat.WechatJobSignal>(),
                services.GetRequiredService<TimeProvider>(), ct);
            switch (result.Result)
            {
                case Created<Photos.UploadedPhoto> created:
                    ids.Add(created.Value!.Id);
                    break;
                case ProblemHttpResult problem:
                    var detail = $"{file.FileName}：{problem.ProblemDetails.Detail ?? Infrastructure.Text.DefaultDetail(problem.StatusCode)}";
                    return (ids, new(null, problem.StatusCode, Resources.Messages.DetailValidation, new Dictionary<string, string[]> { ["photoIds"] = [detail] }));
                default:
                    throw new InvalidOperationException($"The photo upload answered {result.Result.GetType().Name}, which the console does not know.");
            }
        }
        return (ids, null);
    }

    /// <summary>The dispatch center's call-back queue, by the API's handler: anyone else gets its 403.</summary>
    public async Task<ConsoleOutcome<CallBackPage>> ListCallBacksAsync(string? cursor, StaffMember staff, CancellationToken ct)
    {
        var result = await StaffComplaintsApi.ListCallBacks(null, cursor, staff, services.GetRequiredService<CallBackQueue>(), ct);
        return Outcome<CallBackPage>(result.Result);
    }

    /// <summary>The measures of the caller's scope, by the API's handler behind GET /api/staff/stats: the same figures, the same scope.</summary>
    public async Task<ConsoleOutcome<Stats.StatsReport>> StatsAsync(Stats.StatsQuery query, StaffMember staff, CancellationToken ct)
    {
        if (await validation.ErrorsAsync(query, ct) is { Count: > 0 } errors)
        {
            return new(null, StatusCodes.Status400BadRequest, Resources.Messages.DetailValidation, errors);
        }
        var result = await Stats.StatsApi.GetStats(query, staff, services.GetRequiredService<Stats.StatsReader>(), ct);
        return Outcome<Stats.StatsReport>(result.Result);
    }

    /// <summary>热点 of the caller's scope, by the API's handler behind GET /api/staff/stats/hotspots.</summary>
    public async Task<ConsoleOutcome<Stats.Hotspots>> HotspotsAsync(DateOnly? from, DateOnly? to, StaffMember staff, CancellationToken ct)
    {
        var result = await Stats.StatsApi.GetHotspots(from, to, staff, services.GetRequiredService<Stats.StatsReader>(), ct);
        return Outcome<Stats.Hotspots>(result.Result);
    }

    /// <summary>The kept daily and weekly reports for the dispatch center and admins (the reports are the district's); none for others.</summary>
    public async Task<IReadOnlyList<Reports.KeptReport>> KeptReportsAsync(StaffMember staff, CancellationToken ct) =>
        staff.SeesEverything ? await services.GetRequiredService<Reports.DailyReportStore>().ListAsync(null, ct) : [];

    private static ConsoleOutcome<T> Outcome<T>(IResult result) => result switch
    {
        Ok<T> ok => new(ok.Value, StatusCodes.Status200OK, null, new Dictionary<string, string[]>()),
        // A detail as the API's problem writer completes it: the producer's, else the one for field errors or for the status.
        ProblemHttpResult problem => new(default, problem.StatusCode, problem.ProblemDetails.Detail
                ?? (problem.ProblemDetails is HttpValidationProblemDetails ? Resources.Messages.DetailValidation : Infrastructure.Text.DefaultDetail(problem.StatusCode)),
            problem.ProblemDetails is HttpValidationProblemDetails validation ? ApiValidation.AsTheApiSaysIt(validation.Errors) : new Dictionary<string, string[]>()),
        _ => throw new InvalidOperationException($"The API answered {result.GetType().Name}, which the console does not know."),
    };
}
