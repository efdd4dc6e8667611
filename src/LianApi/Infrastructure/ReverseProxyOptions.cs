namespace LianApi.Infrastructure;

/// <summary>The reverse proxies (load balancers, gateways) whose X-Forwarded-For and -Proto headers are believed.</summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>Addresses of the proxies in front of the app, e.g. ReverseProxy__KnownProxies__0=10.0.0.5. None by default.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation, e.g. ReverseProxy__KnownNetworks__0=10.0.0.0/24. None by default.</summary>
    public string[] KnownNetworks { get; set; } = [];
}
