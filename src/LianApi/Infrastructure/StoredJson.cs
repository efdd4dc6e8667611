using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace LianApi.Infrastructure;

/// <summary>
/// A response whose JSON was serialized when it was stored (the resident's view of a complaint): written as it is,
/// never parsed and serialized again, and documented in the spec as <typeparamref name="T"/>.
/// </summary>
public abstract class StoredJson<T>(string json) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public string Json { get; } = json;

    public abstract int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "application/json; charset=utf-8";

    public virtual Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCode;
        http.Response.ContentType = ContentType;
        return http.Response.WriteAsync(Json, http.RequestAborted);
    }

    protected static void Produces(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(T), ["application/json"]));
}

public sealed class StoredJsonOk<T>(string json) : StoredJson<T>(json), IEndpointMetadataProvider
{
    public override int StatusCode => StatusCodes.Status200OK;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status200OK);
}

public sealed class StoredJsonCreated<T>(string location, string json) : StoredJson<T>(json), IEndpointMetadataProvider
{
    public string Location { get; } = location;

    public override int StatusCode => StatusCodes.Status201Created;

    public override Task ExecuteAsync(HttpContext http)
    {
        http.Response.Headers.Location = Location;
        return base.ExecuteAsync(http);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status201Created);
}
