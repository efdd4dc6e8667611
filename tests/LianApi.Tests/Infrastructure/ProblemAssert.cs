using System.Net;
using System.Text.Json;

namespace LianApi.Tests.Infrastructure;

public static class ProblemAssert
{
    /// <summary>Asserts the status and that the body is an RFC 9457 problem carrying that status; returns the body.</summary>
    public static async Task<JsonElement> IsProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        });
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status), body);
        return problem;
    }
}
