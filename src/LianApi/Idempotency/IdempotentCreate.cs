using LianApi.Data;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LianApi.Idempotency;

/// <summary>
/// Everything about Idempotency-Key for a POST that creates one resource per key: the header, the fingerprint, the
/// replay and the answers to misuse. The endpoint supplies how to create the resource (claiming the key in its
/// transaction) and how to find what a key created; duplicates surface only as a duplicate-key error, handled here.
/// </summary>
public sealed class IdempotentCreate(IdempotencyStore store, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public async Task<Results<StoredJsonCreated<T>, ProblemHttpResult>> RunAsync<T>(
        HttpContext http, string? key, long userId, string endpoint, object request,
        Func<IdempotencyClaim, CancellationToken, Task<Results<StoredJsonCreated<T>, ProblemHttpResult>>> create,
        Func<IdempotencyClaim, CancellationToken, Task<StoredJsonCreated<T>?>> findCreated, CancellationToken ct)
    {
        if (!IdempotencyKeys.IsValid(key))
        {
            return Problems.BadRequest(IdempotencyKeys.HeaderName,
                Messages.FieldIdempotencyKey);
        }
        var claim = new IdempotencyClaim(userId, endpoint, key!, IdempotencyKeys.Fingerprint(request, json.Value.SerializerOptions));
        if (await store.FindAsync(claim, ct) is { } earlier)
        {
            // Replays come before any limit or lookup: a phone retrying never spends quota.
            if (earlier.RequestHash != claim.RequestHash)
            {
                return KeyReused();
            }
            return await ReplayAsync(http, claim, findCreated, ct) is { } replayed ? replayed : InFlight(http);
        }
        try
        {
            return await create(claim, ct);
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            // Another request with this key committed first, or this is a retry that outlived its key's pruning
            // (the resource itself remembers the key); otherwise the first request is still committing.
            if (await store.FindAsync(claim, ct) is { } first && first.RequestHash != claim.RequestHash)
            {
                return KeyReused();
            }
            return await ReplayAsync(http, claim, findCreated, ct) is { } replayed ? replayed : InFlight(http);
        }
    }

    private static async Task<StoredJsonCreated<T>?> ReplayAsync<T>(HttpContext http, IdempotencyClaim claim,
        Func<IdempotencyClaim, CancellationToken, Task<StoredJsonCreated<T>?>> findCreated, CancellationToken ct)
    {
        var created = await findCreated(claim, ct);
        if (created is not null)
        {
            http.Response.Headers[IdempotencyKeys.ReplayedHeaderName] = "true";
        }
        return created;
    }

    private static ProblemHttpResult KeyReused() =>
        Problems.Unprocessable(IdempotencyKeys.HeaderName, Messages.IdempotencyKeyReused)
            .WithCode(ProblemCodes.IdempotencyKeyReused);

    private static ProblemHttpResult InFlight(HttpContext http)
    {
        http.Response.SetRetryAfter(TimeSpan.FromSeconds(1));
        return Problems.Conflict(Messages.IdempotencyKeyInFlight)
            .WithCode(ProblemCodes.IdempotencyKeyInFlight);
    }
}
