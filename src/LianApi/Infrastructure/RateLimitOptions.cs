using System.ComponentModel.DataAnnotations;

namespace LianApi.Infrastructure;

/// <summary>About ten times what a person does by hand (reliability.md §2); tests and benchmarks lower or raise them.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Logins per client IP per minute. Loose on purpose: many residents share a carrier-grade NAT address.</summary>
    [Range(1, 100_000)] public int LoginsPerMinute { get; set; } = 20;

    [Range(1, 100_000)] public int LoginBurst { get; set; } = 10;

    /// <summary>
    /// New reports per resident in any 10 minutes, counted from the resident's stored reports (exact across instances
    /// and restarts); retries with the same Idempotency-Key and refused requests never count.
    /// </summary>
    [Range(1, 1_000_000)] public int SubmissionsPer10Minutes { get; set; } = 5;

    [Range(1, 1_000_000)] public int SubmissionsPerDay { get; set; } = 20;

    /// <summary>
    /// WeChat text checks (msg_sec_check) per resident per minute, in memory per instance: refused text is never stored,
    /// so without this one resident could spend the mini-program's quota (4000 a minute) by resending it.
    /// </summary>
    [Range(1, 100_000)] public int ContentChecksPerMinute { get; set; } = 10;

    /// <summary>Whole print sets per client IP per minute: each renders every community's poster.</summary>
    [Range(1, 1000)] public int PrintSetsPerMinute { get; set; } = 6;

    /// <summary>
    /// Reads of the public wall and of Open311 per client address per minute, in memory per instance: anonymous and
    /// cheap, but a scraper should not be able to keep the database busy.
    /// </summary>
    [Range(1, 100_000)] public int PublicReadsPerMinute { get; set; } = 120;

    /// <summary>Reports one Open311 partner key may file per minute, in memory per instance (counted per key once the key is known good).</summary>
    [Range(1, 10_000)] public int Open311PostsPerMinute { get; set; } = 30;

    /// <summary>Wrong staff binding codes one user may send in any 15 minutes before binding locks for them.</summary>
    [Range(1, 1000)] public int BindFailuresPerUser { get; set; } = 5;

    /// <summary>
    /// Wrong staff binding codes from one client address in any 15 minutes before it slows down those of its users who
    /// sent a wrong code themselves (never a lockout: a shared address must not shut real staff out).
    /// </summary>
    [Range(1, 10_000)] public int BindFailuresPerAddress { get; set; } = 20;

    public static readonly TimeSpan BindFailureWindow = TimeSpan.FromMinutes(15);
}
