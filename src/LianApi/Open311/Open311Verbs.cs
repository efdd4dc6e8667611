using System.CommandLine;
using LianApi.Shared;

namespace LianApi.Open311;

/// <summary><c>open311 key add|revoke|list</c>: the partners' api_keys, shown once and stored only as their SHA-256.</summary>
internal static class Open311Verbs
{
    public static Command Create(IServiceProvider services) =>
        new("open311", "Open311 GeoReport v2 for partner systems.") { new Command("key", "The partners' api_keys.") { Add(services), Revoke(services), List(services) } };

    private static Command Add(IServiceProvider services)
    {
        var partner = new Option<string>("--partner") { Description = $"Who the key is for, 1 to {Open311KeyStore.MaxPartnerLength} characters.", HelpName = "name", Required = true };
        partner.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>()?.Trim().Length is not (> 0 and <= Open311KeyStore.MaxPartnerLength))
            {
                result.AddError($"--partner must have 1 to {Open311KeyStore.MaxPartnerLength} characters.");
            }
        });
        var command = new Command("add", "Issue a key and print it once; the partner sends it as api_key.") { partner };
        command.SetAction(async (parsed, ct) =>
        {
            var name = parsed.GetRequiredValue(partner).Trim();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var (keyId, apiKey) = await services.GetRequiredService<Open311KeyStore>().AddAsync(name, now, ct);
            Console.WriteLine($"Added Open311 key {keyId} for {name}.\napi_key (shown once; give it to the partner, it is stored only hashed): {apiKey}");
            return 0;
        });
        return command;
    }

    private static Command Revoke(IServiceProvider services)
    {
        var id = new Argument<long>("id") { Description = "The key's id (see open311 key list)." };
        var command = new Command("revoke", "Revoke a key: its next request gets 403.") { id };
        command.SetAction(async (parsed, ct) =>
        {
            var keyId = parsed.GetRequiredValue(id);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var revoked = await services.GetRequiredService<Open311KeyStore>().RevokeAsync(keyId, now, ct);
            Console.WriteLine(revoked ? $"Open311 key {keyId} revoked; its next request is refused (403)." : $"No active Open311 key {keyId}.");
            return revoked ? 0 : 1;
        });
        return command;
    }

    private static Command List(IServiceProvider services)
    {
        var command = new Command("list", "Every key: id, partner, when it was added and revoked.");
        command.SetAction(async (_, ct) =>
        {
            foreach (var key in await services.GetRequiredService<Open311KeyStore>().ListAsync(ct))
            {
                Console.WriteLine($"{key.Id,5}  {key.Partner,-24} added {ChinaTime.Readable(key.CreatedAt)}  {(key.RevokedAt is { } at ? "revoked " + ChinaTime.Readable(at) : "active")}");
            }
            return 0;
        });
        return command;
    }
}
