using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace LianApi.Photos;

/// <summary>A stored photo streamed from the database to the client (image/jpeg, strong ETag, private caching).</summary>
public sealed class PhotoContent(string id, bool thumbnail, int length, EntityTagHeaderValue etag, string cacheControl)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "image/jpeg";

    public async Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = length;
        response.Headers.ETag = etag.ToString();
        response.Headers.CacheControl = cacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.RequestServices.GetRequiredService<PhotoStore>().CopyToAsync(id, thumbnail, response.Body, http.RequestAborted);
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), ["image/jpeg"]));
}
