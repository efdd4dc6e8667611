using System.ComponentModel;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Shared;
using LianApi.Wechat;

namespace LianApi.Notifications;

/// <summary>subscribe/send's errcodes that no retry can fix (wechat-api.md §5).</summary>
public static class WechatSendErrors
{
    /// <summary>The user refused, never subscribed, or the one-time permission is used: their credits become zero.</summary>
    public const int NoPermission = 43101;

    public static readonly int[] Permanent = [NoPermission, 47003, 40003, 40037, 41030];
}

/// <summary>Hands one rendered message to WeChat, or to the emulator's table.</summary>
public interface ISubscribeMessageSender
{
    Task SendAsync(long notificationId, SubscribeMessage message, CancellationToken ct);
}

/// <summary>Live: subscribe/send with the shared access token (40001/42001: refreshed and tried once more).</summary>
internal sealed class WechatSubscribeMessageSender(WechatAccessTokenProvider tokens, IServiceProvider services) : ISubscribeMessageSender
{
    public Task SendAsync(long notificationId, SubscribeMessage message, CancellationToken ct) =>
        tokens.CallAsync(async (token, token_ct) =>
        {
            await services.GetRequiredService<WechatClient>().SendSubscribeMessageAsync(token, message, token_ct);
            return true;
        }, ct);
}

public sealed record EmulatedMessage(
    [property: Description("The outbox row it came from")] long NotificationId,
    [property: Description("The recipient's openid")] string ToUser,
    [property: Description("The template id")] string TemplateId,
    [property: Description("The page the card opens")] string? Page,
    [property: Description("The keyword values as WeChat would show them")] IReadOnlyDictionary<string, string> Data,
    [property: Description("When it was \"sent\"")] DateTimeOffset SentAt);

/// <summary>Emulator mode: nothing leaves the machine; each message is recorded and logged with its rendered values.</summary>
public sealed class EmulatedMessageStore(Database db, TimeProvider time, ILogger<EmulatedMessageStore> logger) : ISubscribeMessageSender
{
    private const string InsertMessage = """
        INSERT INTO EmulatedMessages (NotificationId, ToUser, TemplateId, Page, Data, SentAt)
        VALUES (@NotificationId, @ToUser, @TemplateId, @Page, @Data, @SentAt)
        """;

    public async Task SendAsync(long notificationId, SubscribeMessage message, CancellationToken ct)
    {
        var data = JsonSerializer.Serialize(message.Data);
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertMessage, new
        {
            NotificationId = notificationId, message.ToUser, message.TemplateId, message.Page, Data = data, SentAt = time.GetUtcNow().UtcDateTime,
        }, tx, cancellationToken: ct)), ct);
        logger.LogInformation("Emulated subscribe message {NotificationId} to {ToUser}, template {TemplateId}, page {Page}: {Data}",
            notificationId, message.ToUser, message.TemplateId, message.Page, data);
    }

    // The recipient is the outbox row's user: a caller reads the messages that were meant for them.
    private const string SelectLatest = """
        SELECT e.NotificationId, e.ToUser, e.TemplateId, e.Page, e.Data, e.SentAt
        FROM EmulatedMessages e JOIN Notifications n ON n.Id = e.NotificationId
        WHERE n.UserId = @UserId
        ORDER BY e.Id DESC
        """;

    private sealed record Row
    {
        public long NotificationId { get; init; }
        public string ToUser { get; init; } = "";
        public string TemplateId { get; init; } = "";
        public string? Page { get; init; }
        public string Data { get; init; } = "";
        public DateTime SentAt { get; init; }
    }

    /// <summary>The latest messages emulated for one user, newest first.</summary>
    public async Task<IReadOnlyList<EmulatedMessage>> LatestAsync(long userId, int limit, CancellationToken ct) =>
        (await db.ReadAsync(async c => await c.QueryAsync<Row>(new CommandDefinition(SelectLatest + "\n" + db.Dialect.LimitRows,
            new { UserId = userId, Limit = limit }, cancellationToken: ct)), ct))
        .Select(r => new EmulatedMessage(r.NotificationId, r.ToUser, r.TemplateId, r.Page,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.Data) ?? [], r.SentAt.AsChinaTime()))
        .ToList();
}
