using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace LianApi.Data;

/// <summary>Recognises a unique-constraint violation on either provider.</summary>
public static class DuplicateKey
{
    public static bool Is(Exception e) => e switch
    {
        DuplicateKeyException => true,
        SqlException sql => sql.Number is 2627 or 2601,
        // SQLITE_CONSTRAINT_PRIMARYKEY (1555) and SQLITE_CONSTRAINT_UNIQUE (2067)
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        _ => false,
    };
}

/// <summary>A unique key was violated and nothing explains it as a replay: a concurrent duplicate still committing.</summary>
public sealed class DuplicateKeyException(Exception inner) : Exception("A concurrent request with the same key is being processed.", inner);
