using System.Globalization;
using LianApi.Auth;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Idempotency;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.PublicWall;
using LianApi.Resources;
using LianApi.Shared;

namespace LianApi.Open311;

/// <summary>
/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2: a foreign protocol with its own
/// formats (a .xml or .json suffix), its own error shape and snake_case fields, so it is kept out of our OpenAPI
/// document (ExcludeFromDescription) — the GeoReport spec is its contract. GETs read exactly the public wall's
/// cases; the rest do not exist. POST files a report through the same intake as staff-recorded reports.
/// </summary>
public static class Open311Api
{
    public const string BasePath = "/open311/v2";
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";
    /// <summary>When the shape of this endpoint last changed (discovery's changeset).</summary>
    public static readonly DateTimeOffset Changeset = new(2026, 12, 2, 0, 0, 0, ChinaTime.Offset);
    public const int MaxDays = 90;
    public const int MaxResults = 1000;
    public const int MaxDepth = 10_000;
    public const string PostEndpoint = "POST /open311/v2/requests";
    private const string IntakeAppId = "lianapi-open311";

    public static RouteGroupBuilder MapOpen311(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(BasePath).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/discovery.{format}", Discovery).WithName(nameof(Discovery)).RequireRateLimiting(RateLimits.PublicRead);
        group.MapGet("/services.{format}", Services).WithName(nameof(Services)).RequireRateLimiting(RateLimits.PublicRead);
        group.MapGet("/requests.{format}", ListRequests).WithName(nameof(ListRequests)).RequireRateLimiting(RateLimits.PublicRead);
        group.MapGet("/requests/{id}.{format}", GetRequest).WithName(nameof(GetRequest)).RequireRateLimiting(RateLimits.PublicRead);
        group.MapPost("/requests.{format}", PostRequest).WithName(nameof(PostRequest));
        return group;
    }

    private static bool KnownFormat(string format) => format is Open311Formats.Xml or Open311Formats.Json;

    public static Open311Result Discovery(string format, HttpContext http, IWebHostEnvironment environment)
    {
        if (!KnownFormat(format))
        {
            return Open311Result.UnknownFormat();
        }
        var endpoint = Open311Object.Of(
            ("specification", Specification),
            ("url", $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{BasePath}"),
            ("changeset", Changeset),
            ("type", environment.IsProduction() ? "production" : "test"),
            ("formats", new Open311List("formats", "format", ["text/xml", "application/json"])));
        return Open311Result.Ok(format, Open311Object.Of(
            ("changeset", Changeset),
            ("contact", Messages.Open311Contact),
            ("key_service", Messages.Open311KeyService),
            ("endpoints", new Open311List("endpoints", "endpoint", [endpoint]))), "discovery");
    }

    public static async Task<Open311Result> Services(string format, OrgDirectory directory, CancellationToken ct)
    {
        if (!KnownFormat(format))
        {
            return Open311Result.UnknownFormat();
        }
        var names = await directory.GetAsync(ct);
        return Open311Result.Ok(format, new Open311List("services", "service", names.Categories.Select(c => (object?)Open311Object.Of(
            ("service_code", c.Code),
            ("service_name", c.Name),
            ("description", c.IsEmergency && c.Hotline is { } hotline ? Text.Format(Messages.Open311EmergencyService, c.Name, hotline) : Notice(c)),
            ("metadata", false),
            ("type", "realtime"),
            ("keywords", null),
            ("group", c.IsEmergency ? "emergency" : "non_emergency"))).ToList()));
    }

    /// <summary>The category's promise (service_notice): respond within its hours, resolve within its working days.</summary>
    public static string Notice(CategoryRow c) => Text.Format(Messages.Open311ServiceNotice, c.ResponseHours, c.ResolutionWorkingDays);

    public static async Task<Open311Result> ListRequests(string format, HttpContext http, TimeProvider time, OrgDirectory directory,
        PublicCaseStore store, PhotoLinks links, CancellationToken ct)
    {
        if (!KnownFormat(format))
        {
            return Open311Result.UnknownFormat();
        }
        var query = http.Request.Query;
        // An empty optional argument behaves exactly like an absent one (GeoReport v2, general rules).
        string? Arg(string name) => query[name].ToString() is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var names = await directory.GetAsync(ct);
        var filter = new PublicCaseFilter();
        if (Arg("service_request_id") is { } ids)
        {
            // Overrides every other filter.
            filter = filter with { TrackingNos = List(ids) };
        }
        else
        {
            if (Arg("service_code") is { } codes)
            {
                filter = filter with
                {
                    CategoryIds = List(codes).Select(c => names.CategoriesByCode.GetValueOrDefault(c)?.Id).OfType<long>().ToList(),
                };
            }
            DateTimeOffset? start = null, end = null;
            if (Arg("start_date") is { } startText)
            {
                if (!ChinaTime.TryParse(startText, out var parsed))
                {
                    return Open311Result.Error(format, 400, Text.Format(Messages.Open311BadDate, "start_date"));
                }
                start = parsed;
            }
            if (Arg("end_date") is { } endText)
            {
                if (!ChinaTime.TryParse(endText, out var parsed))
                {
                    return Open311Result.Error(format, 400, Text.Format(Messages.Open311BadDate, "end_date"));
                }
                end = parsed;
            }
            var now = time.GetUtcNow();
            // The default range: the last 90 days (or 90 days from start_date, or up to end_date).
            (start, end) = (start, end) switch
            {
                (null, null) => (now.AddDays(-MaxDays), now),
                ({ } s, null) => (s, s.AddDays(MaxDays)),
                (null, { } e) => (e.AddDays(-MaxDays), e),
                _ => (start, end),
            };
            if (end < start || end!.Value - start!.Value > TimeSpan.FromDays(MaxDays))
            {
                return Open311Result.Error(format, 400, Text.Format(Messages.Open311DateRange, MaxDays));
            }
            filter = filter with { SubmittedFrom = start.Value.UtcDateTime, SubmittedTo = end.Value.UtcDateTime };
            if (Arg("status") is { } statusText)
            {
                var statuses = List(statusText);
                if (statuses.Any(s => s is not ("open" or "closed")))
                {
                    return Open311Result.Error(format, 400, Messages.Open311BadStatus);
                }
                if (!statuses.Contains("closed"))
                {
                    // Public cases are resolved or closed: Open311's closed. None is open.
                    return Open311Result.Ok(format, new Open311List("service_requests", "request", []));
                }
            }
        }
        if (!TryInt(Arg("page"), 1, out var page) || !TryInt(Arg("page_size"), MaxResults, out var pageSize) || pageSize > MaxResults
            || (long)page * pageSize > MaxDepth)
        {
            return Open311Result.Error(format, 400, Text.Format(Messages.Open311BadPage, MaxResults, MaxDepth));
        }
        var rows = await store.ListAsync(filter, page * pageSize, ct);
        return Open311Result.Ok(format, new Open311List("service_requests", "request",
            rows.Skip((page - 1) * pageSize).Select(r => (object?)Request(r, http, links)).ToList()));
    }

    public static async Task<Open311Result> GetRequest(string id, string format, HttpContext http, PublicCaseStore store, PhotoLinks links, CancellationToken ct)
    {
        if (!KnownFormat(format))
        {
            return Open311Result.UnknownFormat();
        }
        var found = await store.ListAsync(new PublicCaseFilter { TrackingNos = [id] }, 1, ct);
        // A case that is not public does not exist here, whatever it is inside.
        return found.Count == 0
            ? Open311Result.NotFound(format, Text.Format(Messages.Open311RequestNotFound, id))
            : Open311Result.Ok(format, new Open311List("service_requests", "request", [Request(found[0], http, links)]));
    }

    /// <summary>A public case as a GeoReport service request: the wall's facts, nothing more (no reporter, no exact place).</summary>
    private static Open311Object Request(PublicFacts f, HttpContext http, PhotoLinks links) => Open311Object.Of(
        ("service_request_id", f.Row.TrackingNo),
        ("status", "closed"),
        ("status_notes", ComplaintStatus.Labels[f.Row.Status]),
        ("service_name", f.Category.Name),
        ("service_code", f.Category.Code),
        ("description", f.Summary),
        ("agency_responsible", f.HandledBy),
        ("service_notice", Notice(f.Category)),
        ("requested_datetime", f.Row.SubmittedAt),
        ("updated_datetime", f.Row.ClosedAt ?? f.ResolvedAt),
        // No deadline runs for a resolved or closed case.
        ("expected_datetime", null),
        ("address", $"{Stats.StatsApi.DistrictName}{f.Community.StreetName}{f.Community.Name}"),
        ("address_id", f.Community.Code),
        ("zipcode", null),
        ("lat", f.Community.Latitude),
        ("long", f.Community.Longitude),
        ("media_url", f.PhotoIds.Count == 0 ? null : links.ForPublic(f.PhotoIds[0]).Url));

    public static async Task<Open311Result> PostRequest(string format, HttpContext http, Open311KeyStore keys, Open311PostLimiter limiter,
        OrgDirectory directory, ComplaintIntake intake, UserStore users, TimeProvider time, CancellationToken ct)
    {
        if (!KnownFormat(format))
        {
            return Open311Result.UnknownFormat();
        }
        if (!http.Request.HasFormContentType)
        {
            return Open311Result.Error(format, 400, Messages.Open311FormRequired);
        }
        var form = await http.Request.ReadFormAsync(ct);
        string? Arg(string name) => form[name].ToString() is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        if (Arg("api_key") is not { } apiKey || await keys.FindActiveAsync(apiKey, ct) is not { } key)
        {
            return Open311Result.Error(format, 403, Messages.Open311BadKey);
        }
        if (!limiter.TryAcquire(key.Id))
        {
            return new Open311Result(StatusCodes.Status429TooManyRequests, format, Open311Result.Error(format, 429, Messages.Open311TooManyPosts).Document) { RetryAfter = TimeSpan.FromMinutes(1) };
        }
        var names = await directory.GetAsync(ct);
        if (Arg("service_code") is not { } serviceCode)
        {
            return Open311Result.Error(format, 400, Text.Format(Messages.Open311Missing, "service_code"));
        }
        if (!names.CategoriesByCode.ContainsKey(serviceCode))
        {
            // Before the location: an unknown service is what a partner must fix first.
            return Open311Result.NotFound(format, Text.Format(Messages.UnknownCategory, serviceCode));
        }
        double? lat = null, lng = null;
        if (Arg("lat") is not null || Arg("long") is not null)
        {
            if (!double.TryParse(Arg("lat"), NumberStyles.Float, CultureInfo.InvariantCulture, out var la) || la is < -90 or > 90
                || !double.TryParse(Arg("long"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) || lo is < -180 or > 180)
            {
                return Open311Result.Error(format, 400, Messages.Open311BadLocation);
            }
            (lat, lng) = (la, lo);
        }
        // Where: address_id is a community code; else the community nearest to lat/long.
        CommunityRow? community = null;
        if (Arg("address_id") is { } addressId && !names.CommunitiesByCode.TryGetValue(addressId, out community))
        {
            return Open311Result.NotFound(format, Text.Format(Messages.UnknownCommunity, addressId));
        }
        community ??= lat is { } la2 && lng is { } lo2 ? Nearest(names.Communities, la2, lo2) : null;
        var (place, refusal) = community is null ? (null, null) : await intake.PlaceAsync(community, serviceCode, gridCode: null, ct);
        if (refusal is not null)
        {
            return Open311Result.NotFound(format, refusal.Message);
        }
        if (place is null)
        {
            return Open311Result.Error(format, 400, Messages.Open311LocationRequired);
        }
        var description = Arg("description");
        if (description is null || description.Length is < 5 or > 1000 || !PlainTextAttribute.IsPlain(description))
        {
            return Open311Result.Error(format, 400, Messages.Open311BadDescription);
        }
        var address = Arg("address_string");
        var phone = Arg("phone");
        var name = string.Join(" ", new[] { Arg("last_name"), Arg("first_name") }.OfType<string>()) is { Length: > 0 } n ? n : null;
        if ((address is not null && (address.Length > 200 || !PlainTextAttribute.IsPlain(address)))
            || (phone is not null && !Privacy.ChinesePhoneAttribute.IsPhone(phone))
            || (name is not null && (name.Length > 50 || !PlainTextAttribute.IsPlain(name))))
        {
            return Open311Result.Error(format, 400, Messages.Open311BadContact);
        }
        // Like a report recorded by staff, it belongs to no resident: one intake user per partner key.
        var intakeUser = await users.UpsertAsync(IntakeAppId, $"key:{key.Id}", time.GetUtcNow().UtcDateTime, ct);
        var claim = new IdempotencyClaim(intakeUser, PostEndpoint, Guid.NewGuid().ToString(), "");
        var filed = await intake.FileAsync(intakeUser, claim, new IntakeReport
        {
            Channel = Channels.Open311, Place = place, Description = description, Address = address, Latitude = lat, Longitude = lng,
            Phone = phone, ResidentName = name, Partner = key.Partner, ContentCheck = IntakeContentCheck.FromPartner(key.Partner),
        }, SubmissionLimits.None, ct);
        return new Open311Result(StatusCodes.Status201Created, format, new Open311List("service_requests", "request",
            [Open311Object.Of(("service_request_id", filed.TrackingNo), ("service_notice", Notice(place.Category)), ("account_id", null))]));
    }

    /// <summary>The community taking reports whose published location is nearest, within 3 km; null when none is that close.</summary>
    private static CommunityRow? Nearest(IReadOnlyList<CommunityRow> communities, double lat, double lng) =>
        communities.Where(c => !c.IsRetired && c.Latitude is not null && c.Longitude is not null)
            .Select(c => (Community: c, Km: Kilometres(lat, lng, c.Latitude!.Value, c.Longitude!.Value)))
            .Where(c => c.Km <= 3).OrderBy(c => c.Km).Select(c => c.Community).FirstOrDefault();

    private static double Kilometres(double lat1, double lng1, double lat2, double lng2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lng2 - lng1) / 2), 2);
        return 6371 * 2 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
    }

    private static List<string> List(string commaSeparated) =>
        commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(MaxResults).ToList();

    private static bool TryInt(string? text, int fallback, out int value)
    {
        value = fallback;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1);
    }
}
