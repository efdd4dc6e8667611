using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LianApi.Wechat;

/// <summary>The query string WeChat signs a push with.</summary>
public sealed record PushQuery(
    [property: FromQuery(Name = "signature"), Description("sha1 of the sorted Token, timestamp and nonce")] string? Signature,
    [property: FromQuery(Name = "timestamp"), Description("Unix seconds; more than 5 minutes away from our clock is refused")] string? Timestamp,
    [property: FromQuery(Name = "nonce"), Description("At most 64 characters; a (timestamp, nonce) pair is accepted once")] string? Nonce,
    [property: FromQuery(Name = "encrypt_type"), Description("aes in safe mode; required when the server has an EncodingAESKey")] string? EncryptType,
    [property: FromQuery(Name = "msg_signature"), Description("Safe mode: sha1 of the sorted Token, timestamp, nonce and Encrypt")] string? MsgSignature);

/// <summary>The body of a safe-mode push; in plaintext mode the body is the event itself.</summary>
public sealed record EncryptedPush(string? ToUserName, string? Encrypt);

/// <summary>
/// The message-push endpoint (消息推送) configured in the WeChat console: WeChat verifies it with GET, then POSTs events
/// (JSON, plaintext or safe mode). A push is verified before it is parsed, stored once per its own identity, answered
/// "success" and applied afterwards from the job queue, so WeChat's retries never apply an event twice.
/// </summary>
public static class PushApi
{
    public const string Path = "/api/wechat/push";

    /// <summary>
    /// Pushes whose timestamp is further than this from our clock are refused (replays); within it, each (timestamp,
    /// nonce) is accepted once (<see cref="PushNonces"/>).
    /// </summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    public static RouteGroupBuilder MapWechatPush(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Path)
            .WithTag("WeChat push", "Called by WeChat's servers, not by the mini-program: the message-push URL of the WeChat console")
            .AllowAnonymous();

        group.MapGet("/", VerifyPushUrl)
            .WithName(nameof(VerifyPushUrl))
            .WithSummary("WeChat's check of the push URL: echoes echostr when the signature is right")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesStandardProblems(401, 404);

        group.MapPost("/", ReceivePush)
            .WithName(nameof(ReceivePush))
            .WithSummary("An event pushed by WeChat (JSON; safe mode, or plaintext when no EncodingAESKey is set): answered \"success\" once stored")
            .Accepts<EncryptedPush>("application/json")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesStandardProblems(400, 401, 404, 413, 503);

        return group;
    }

    public static Results<ContentHttpResult, ProblemHttpResult> VerifyPushUrl(
        [AsParameters] PushQuery query, [FromQuery(Name = "echostr")] string? echostr, IOptions<WechatOptions> options, TimeProvider time)
    {
        var o = options.Value;
        if (o.PushToken.Length == 0)
        {
            return NotConfigured();
        }
        if (Refusal(query, o, time, encrypted: null) is { } refused)
        {
            return refused;
        }
        return TypedResults.Text(echostr ?? "", "text/plain");
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReceivePush(
        [AsParameters] PushQuery query, HttpRequest request, IOptions<WechatOptions> options, PushEventStore events, WechatJobSignal jobs,
        TimeProvider time, ILogger<EncryptedPush> logger, CancellationToken ct)
    {
        var o = options.Value;
        if (o.PushToken.Length == 0)
        {
            return NotConfigured();
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync(ct);
        string json;
        var safeMode = string.Equals(query.EncryptType, "aes", StringComparison.OrdinalIgnoreCase);
        if (o.EncodingAesKey.Length > 0 && !safeMode)
        {
            // A plain signature covers Token, timestamp and nonce but not the body: one seen anywhere would sign any
            // event. With a key configured, only pushes whose msg_signature covers the encrypted body are WeChat's.
            return Unauthorized(Messages.PushSafeModeOnly);
        }
        if (safeMode)
        {
            if (o.EncodingAesKey.Length == 0)
            {
                return Unauthorized(Messages.PushNoAesKey);
            }
            var encrypted = TryRead<EncryptedPush>(raw)?.Encrypt;
            if (encrypted is null)
            {
                return Unauthorized(Messages.PushNoEncrypt);
            }
            if (Refusal(query, o, time, encrypted) is { } refused)
            {
                return refused;
            }
            try
            {
                json = PushCrypto.Decrypt(o.EncodingAesKey, encrypted, o.EffectiveAppId);
            }
            catch (PushRejectedException e)
            {
                logger.LogWarning("A safe-mode push was refused: {Reason}", e.Message);
                return Unauthorized(Messages.PushUndecryptable);
            }
        }
        else
        {
            if (Refusal(query, o, time, encrypted: null) is { } refused)
            {
                return refused;
            }
            json = raw;
        }
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(json);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return TypedResults.Problem(Messages.PushNotJson, statusCode: StatusCodes.Status400BadRequest).WithCode(ProblemCodes.InvalidJson);
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            return TypedResults.Problem(Messages.PushNotObject, statusCode: StatusCodes.Status400BadRequest).WithCode(ProblemCodes.InvalidJson);
        }
        var (eventName, key) = PushIdentity.Of(body);
        // Refusal checked both: the timestamp is a number inside the window and the nonce is there.
        var signedWith = (long.Parse(query.Timestamp!, NumberStyles.None, CultureInfo.InvariantCulture), query.Nonce!);
        switch (await events.StoreAsync(key, eventName, json, time.GetUtcNow().UtcDateTime, ct, signedWith))
        {
            case PushStored.Replayed:
                logger.LogWarning("A push with a timestamp and nonce used before was refused (a replay)");
                return Unauthorized(Messages.PushReplayed);
            case PushStored.Stored:
                jobs.Wake();
                break;
        }
        return TypedResults.Text("success", "text/plain");
    }

    /// <summary>Null when the push is WeChat's: signed with our Token (msg_signature over Encrypt in safe mode) and recent.</summary>
    private static ProblemHttpResult? Refusal(PushQuery query, WechatOptions o, TimeProvider time, string? encrypted)
    {
        if (query.Timestamp is null || query.Nonce is not { Length: > 0 and <= PushNonces.MaxLength }
            || !long.TryParse(query.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Unauthorized(Messages.PushUnsigned);
        }
        var valid = encrypted is null
            ? PushCrypto.Matches(query.Signature, PushCrypto.Signature(o.PushToken, query.Timestamp, query.Nonce))
            : PushCrypto.Matches(query.MsgSignature, PushCrypto.Signature(o.PushToken, query.Timestamp, query.Nonce, encrypted));
        if (!valid)
        {
            return Unauthorized(Messages.PushSignatureMismatch);
        }
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (age.Duration() > ReplayWindow)
        {
            return Unauthorized(Messages.PushStale);
        }
        return null;
    }

    // WeChat writes Encrypt and ToUserName; nothing is lost by reading them whatever their case.
    private static readonly JsonSerializerOptions TolerantJson = new() { PropertyNameCaseInsensitive = true };

    private static T? TryRead<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, TolerantJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized).WithCode(ProblemCodes.Unauthenticated);

    private static ProblemHttpResult NotConfigured() =>
        Problems.NotFound(Messages.PushNotConfigured);
}
