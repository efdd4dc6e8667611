namespace LianApi.Infrastructure;

/// <summary>Marks anonymous endpoints whose answers carry personal data (login): no cache anywhere may keep them, as with every authenticated one.</summary>
public sealed class PersonalDataMetadata
{
    public static readonly PersonalDataMetadata Instance = new();
}
