using System.Security.Cryptography;
using Dapper;
using LianApi.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LianApi.Infrastructure;

public static class HealthExtensions
{
    public static IServiceCollection AddLianHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"])
            .AddCheck<StorageWritableCheck>("storage", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapLianHealthChecks(this IEndpointRouteBuilder routes)
    {
        // Live: the process answers, nothing more; a probe every few seconds from every balancer pays for no check, no
        // scope and no timeout. Ready: it can also serve reports (database reachable, schema current, a report-sized write commits).
        routes.MapGet("/health/live", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store, no-cache";
            return TypedResults.Text("Healthy", "text/plain");
        }).AllowAnonymous().DisableRequestTimeout().ExcludeFromDescription();
        // Plain text (Healthy, Unhealthy) for load balancers; with Accept: application/json every check with its data.
        routes.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReadyAsync }).AllowAnonymous();
        return routes;
    }

    private static Task WriteReadyAsync(HttpContext http, HealthReport report)
    {
        if (!http.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            http.Response.ContentType = "text/plain";
            return http.Response.WriteAsync(report.Status.ToString());
        }
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        });
    }

    private sealed class DatabaseReadyCheck(SchemaMigrator migrator) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                var current = await migrator.CurrentVersionAsync(ct);
                return current == migrator.LatestVersion
                    ? HealthCheckResult.Healthy($"Schema version {current}")
                    : HealthCheckResult.Unhealthy($"Schema version {current}, expected {migrator.LatestVersion}: run the migrate verb");
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("Database unreachable", e);
            }
        }
    }

    /// <summary>
    /// Unhealthy while writes fail for lack of storage. Nobody may be writing to notice when it comes back, so while
    /// failing the check itself tries a write (at most every few seconds) and recovers as soon as it commits. The write
    /// is as large as a report's (<see cref="StorageHealth.ProbeBytes"/> of fresh random bytes, so no page is left
    /// unchanged): a one-row write fits on a disk that holds no report, and readiness would say 200 between two 503s.
    /// </summary>
    private sealed class StorageWritableCheck(StorageHealth storage, Database db, TimeProvider time) : IHealthCheck
    {
        private const string ProbeName = "readiness";

        private static string WriteProbe(SqlDialect dialect) => dialect.Upsert("StorageProbes", ["Name"], ["Filler", "WrittenAt"]);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            if (storage.TryStartProbe())
            {
                try
                {
                    var probe = new { Name = ProbeName, Filler = RandomNumberGenerator.GetBytes(StorageHealth.ProbeBytes), WrittenAt = time.GetUtcNow().UtcDateTime };
                    await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(
                        new CommandDefinition(WriteProbe(db.Dialect), probe, transaction, cancellationToken: ct)), ct);
                    storage.ProbeCommitted();
                }
                catch (StorageUnavailableException)
                {
                    // Still failing: StorageHealth has it, and the result below says so.
                }
            }
            // The health check service logs this at every poll, so the reason stays in StorageHealth's own log.
            return storage.Current is { } failure
                ? HealthCheckResult.Unhealthy($"Writes failing since {failure.Since:O}; LianApi.Data.StorageHealth logs why")
                : HealthCheckResult.Healthy("Writes commit");
        }
    }
}
