using System.Threading.RateLimiting;
using LianApi.Resources;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LianApi.Infrastructure;

public static class RateLimitExtensions
{
    public static IServiceCollection AddLianRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimits.Login, context =>
            {
                var o = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = o.LoginBurst,
                    TokensPerPeriod = Math.Max(1, o.LoginsPerMinute / 6),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                    QueueLimit = 0,
                });
            });
            PerAddressPerMinute(limiter, RateLimits.PrintSet, o => o.PrintSetsPerMinute);
            PerAddressPerMinute(limiter, RateLimits.PublicRead, o => o.PublicReadsPerMinute);
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
                await WriteTooManyRequestsAsync(context.HttpContext, retryAfter, Messages.NetworkRateLimited);
            };
        });
        return services;
    }

    /// <summary>A fixed window of a minute per client address, its size read from the options on each request.</summary>
    private static void PerAddressPerMinute(RateLimiterOptions limiter, string policy, Func<RateLimitOptions, int> permits) =>
        limiter.AddPolicy(policy, context =>
        {
            var o = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits(o),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });

    private static async Task WriteTooManyRequestsAsync(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.SetRetryAfter(retryAfter);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Detail = detail },
        });
    }
}
