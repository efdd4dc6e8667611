using LianApi.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LianApi.Infrastructure;

public static class HealthExtensions
{
    public static IServiceCollection AddLianHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapLianHealthChecks(this IEndpointRouteBuilder routes)
    {
        // Live: the process answers. Ready: it can also serve reports (database reachable, schema current).
        routes.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        routes.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return routes;
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
}
