using System.Xml.Linq;
using Dapper;
using LianApi.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace LianApi.StaffConsole;

/// <summary>
/// The Data Protection key ring in the database. Antiforgery tokens (and nothing else of ours) are Data Protection payloads:
/// a form rendered by one instance and posted to another only validates if both hold the same keys, and the database is the
/// one thing every instance shares.
/// </summary>
internal sealed class DatabaseKeyRing(Database db, TimeProvider time) : IXmlRepository
{
    private const string SelectKeys = "SELECT Xml FROM DataProtectionKeys ORDER BY Id";

    // The Data Protection API is synchronous; it reads the ring at start and about once a day after that.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        db.ReadAsync(async c => (await c.QueryAsync<string>(new CommandDefinition(SelectKeys))).Select(x => XElement.Parse(x)).ToList(), CancellationToken.None)
            .GetAwaiter().GetResult();

    private const string InsertKey = "INSERT INTO DataProtectionKeys (FriendlyName, Xml, CreatedAt) VALUES (@FriendlyName, @Xml, @CreatedAt)";

    public void StoreElement(XElement element, string friendlyName) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertKey,
            new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = time.GetUtcNow().UtcDateTime }, tx)),
            CancellationToken.None).GetAwaiter().GetResult();
}
