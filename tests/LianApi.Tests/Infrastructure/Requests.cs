using System.Net.Http.Json;

namespace LianApi.Tests.Infrastructure;

public static class Requests
{
    public static object Complaint(string description = "楼道灯坏了，晚上看不见台阶", string community = "gongyuanmen",
        string category = "sanitation", string? phone = null) =>
        new { communityCode = community, categoryCode = category, description, contactPhone = phone };

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }
}
