using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LianApi.Infrastructure;

public static class SecurityHeadersExtensions
{
    public static IServiceCollection AddLianSecurityHeaders(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.Section)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)) && o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "ReverseProxy__KnownProxies must be IP addresses and ReverseProxy__KnownNetworks CIDR networks such as 10.0.0.0/24.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxies) =>
        {
            // Nothing is trusted by default, not even loopback: a client must not choose its own rate-limit key. With
            // both lists empty the middleware would believe anyone, so no configured proxy means no forwarded headers.
            var configured = proxies.Value.KnownProxies.Length + proxies.Value.KnownNetworks.Length > 0;
            forwarded.ForwardedHeaders = configured ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>
    /// Every answer: nosniff. Every answer of an endpoint that needs a token (the fallback policy: all but those marked
    /// anonymous), and of anonymous ones marked with personal data (login): no-store, errors included. One rule rather
    /// than a mark per group, so a new authenticated endpoint cannot forget it.
    /// </summary>
    public static IApplicationBuilder UseLianSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Decided now: the endpoint is chosen (routing runs first) and the exception handler clears it before an error is written.
        var metadata = context.GetEndpoint()?.Metadata;
        var noStore = metadata is not null && (metadata.GetMetadata<IAllowAnonymous>() is null || metadata.GetMetadata<PersonalDataMetadata>() is not null);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (noStore)
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    public static TBuilder ContainsPersonalData<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(PersonalDataMetadata.Instance);
}
