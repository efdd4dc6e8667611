using System.Text;
using System.Text.Json;
using Dapper;

namespace LianApi.Data;

/// <summary>
/// The few places where SQL Server and SQLite need different SQL. Everything else is written once, in the
/// portable subset, right above the store method that runs it.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect SqlServer = new SqlServerDialect();

    public static SqlDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer ? SqlServer : Sqlite;

    /// <summary>Folder under Data/Schema holding this provider's numbered migration scripts.</summary>
    public abstract string SchemaFolder { get; }

    /// <summary>SQLite has one writer per file, so the app queues its writers instead of letting them poll.</summary>
    public abstract bool SingleWriter { get; }

    /// <summary>Appended after an ORDER BY: keep at most <c>@Limit</c> rows.</summary>
    public abstract string LimitRows { get; }

    /// <summary>Appended to a SELECT without ORDER BY: any <c>@CountLimit</c> of its rows (a capped count reads no more).</summary>
    public abstract string AnyRows { get; }

    /// <summary>Appended to an INSERT, in the same command: returns the identity of the row it created.</summary>
    public abstract string SelectInsertedId { get; }

    /// <summary>
    /// Insert or update by <paramref name="keys"/>; <paramref name="insertOnly"/> columns are written only by the insert.
    /// Every column is bound to the parameter of the same name. Names are trusted identifiers, never user input.
    /// </summary>
    public abstract string Upsert(string table, string[] keys, string[] columns, string[]? insertOnly = null);

    /// <summary>
    /// The rows after a position in an ascending order on several columns, written so that an index on those columns
    /// seeks to it (a keyset page): SQLite compares row values; SQL Server gets the expanded form plus a range on the
    /// leading column, which it can seek.
    /// </summary>
    public abstract string After(string[] columns, string[] parameters);

    /// <summary>The same for a descending order: the rows before a position, as a seek backwards through the index.</summary>
    public abstract string Before(string[] columns, string[] parameters);

    /// <summary>
    /// A column as a predicate operand that no index should be chosen for: a flag's common value (false) matches most
    /// rows, and SQLite, without statistics, would take the flag's index and then sort every match. SQLite's unary +
    /// removes the column from index use; SQL Server costs the predicate with its statistics and needs no hint.
    /// </summary>
    public abstract string NotAnIndexKey(string column);

    /// <summary>Empties a table holding it locked to the end of the transaction, so no other writer slips in between.</summary>
    public abstract string DeleteAllLocked(string table);

    /// <summary>Adds the parameters' values to the row's counters, creating the row with them when it is missing.</summary>
    public abstract string UpsertAdding(string table, string[] keys, string[] counters);

    /// <summary>
    /// Appends to a batch the statements that add each row's counters (keys, then counters, in order) to the table, as
    /// <see cref="UpsertAdding"/> does for one. SQL Server: a MERGE per row, its parameters named apart.
    /// </summary>
    public virtual void AppendUpsertsAdding(StringBuilder sql, DynamicParameters parameters, string table, string[] keys, string[] counters,
        IReadOnlyList<object[]> rows)
    {
        var upsert = UpsertAdding(table, keys, counters);
        var columns = keys.Concat(counters).ToArray();
        var first = parameters.ParameterNames.Count();
        for (var row = 0; row < rows.Count; row++)
        {
            var prefix = $"u{first}_{row}_";
            sql.Append(upsert.Replace("@", "@" + prefix)).Append('\n');
            for (var i = 0; i < columns.Length; i++)
            {
                parameters.Add(prefix + columns[i], rows[row][i]);
            }
        }
    }

    /// <summary>After an ORDER BY: only the row after skipping <paramref name="skip"/> rows (a parameter), if there is one.</summary>
    public abstract string NthRow(string skip);

    /// <summary>Increment (or start at 1) the counter named <c>@Name</c> and return its new value.</summary>
    public abstract string NextCounterValue { get; }

    /// <summary>Creates the table that records which schema scripts ran, unless it exists.</summary>
    public abstract string CreateSchemaVersionsTable { get; }

    /// <summary>
    /// Appended to an UPDATE or DELETE, in the same command: how many rows it changed. Decisions read this instead of
    /// the driver's rows-affected count, which is -1 on a SQL Server whose user options set NOCOUNT on.
    /// </summary>
    public abstract string SelectRowsAffected { get; }

    /// <summary>
    /// Run first in each migration's transaction: one migrator at a time across instances, held until commit. Empty
    /// on SQLite, where the write itself is exclusive (one writer per file).
    /// </summary>
    public abstract string TakeMigrationLock { get; }

    /// <summary>Deletes at most <c>@Limit</c> rows of <paramref name="table"/> matching <paramref name="where"/>, whose key is <paramref name="keys"/>.</summary>
    public abstract string DeleteAtMost(string table, string[] keys, string where);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string SchemaFolder => "Sqlite";
        public override bool SingleWriter => true;
        public override string LimitRows => "LIMIT @Limit";
        public override string AnyRows => "LIMIT @CountLimit";
        public override string SelectInsertedId => "SELECT last_insert_rowid();";
        public override string SelectRowsAffected => "SELECT changes();";
        public override string TakeMigrationLock => "";

        public override string DeleteAtMost(string table, string[] keys, string where) =>
            $"DELETE FROM {table} WHERE ({string.Join(", ", keys)}) IN (SELECT {string.Join(", ", keys)} FROM {table} WHERE {where} LIMIT @Limit)";
        public override string CreateSchemaVersionsTable => """
            CREATE TABLE IF NOT EXISTS SchemaVersions (
                Version INTEGER NOT NULL PRIMARY KEY, Script TEXT NOT NULL, AppliedAt TEXT NOT NULL);
            """;
        public override string NextCounterValue => """
            INSERT INTO Counters (Name, LastValue) VALUES (@Name, 1)
            ON CONFLICT (Name) DO UPDATE SET LastValue = LastValue + 1
            RETURNING LastValue;
            """;

        public override string Upsert(string table, string[] keys, string[] columns, string[]? insertOnly = null)
        {
            var all = keys.Concat(columns).Concat(insertOnly ?? []).ToArray();
            return $"""
                INSERT INTO {table} ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "@" + c))})
                ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"))};
                """;
        }

        public override string DeleteAllLocked(string table) => $"DELETE FROM {table}";

        public override string After(string[] columns, string[] parameters) =>
            $"({string.Join(", ", columns)}) > ({string.Join(", ", parameters)})";

        public override string Before(string[] columns, string[] parameters) =>
            $"({string.Join(", ", columns)}) < ({string.Join(", ", parameters)})";

        public override string NotAnIndexKey(string column) => "+" + column;

        public override string NthRow(string skip) => $"LIMIT 1 OFFSET {skip}";

        public override string UpsertAdding(string table, string[] keys, string[] counters) => $"""
            INSERT INTO {table} ({string.Join(", ", keys.Concat(counters))}) VALUES ({string.Join(", ", keys.Concat(counters).Select(c => "@" + c))})
            ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", counters.Select(c => $"{c} = {c} + excluded.{c}"))};
            """;

        /// <summary>
        /// SQLite: one statement over the rows as one JSON parameter, one compiled statement whatever the number of rows.
        /// jsonb_each hands each row to json_extract in SQLite's binary form; json_each would render it as text and
        /// json_extract parse that text again for every column.
        /// </summary>
        public override void AppendUpsertsAdding(StringBuilder sql, DynamicParameters parameters, string table, string[] keys, string[] counters,
            IReadOnlyList<object[]> rows)
        {
            if (rows.Count == 0)
            {
                return;
            }
            var name = $"Rows{parameters.ParameterNames.Count()}";
            var columns = keys.Concat(counters).ToArray();
            // WHERE true: SQLite's parser needs it between a SELECT and ON CONFLICT.
            sql.Append($"""
                INSERT INTO {table} ({string.Join(", ", columns)})
                SELECT {string.Join(", ", columns.Select((_, i) => $"json_extract(r.value, '$[{i}]')"))} FROM jsonb_each(@{name}) r WHERE true
                ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", counters.Select(c => $"{c} = {c} + excluded.{c}"))};
                """).Append('\n');
            parameters.Add(name, JsonSerializer.Serialize(rows));
        }
    }

    private sealed class SqlServerDialect : SqlDialect
    {
        public override string SchemaFolder => "SqlServer";
        public override bool SingleWriter => false;
        public override string LimitRows => "OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY";
        public override string AnyRows => "ORDER BY (SELECT NULL) OFFSET 0 ROWS FETCH NEXT @CountLimit ROWS ONLY";
        public override string SelectInsertedId => "SELECT CAST(SCOPE_IDENTITY() AS bigint);";
        public override string SelectRowsAffected => "SELECT @@ROWCOUNT;";
        public override string TakeMigrationLock => """
            DECLARE @Lock int;
            EXEC @Lock = sp_getapplock @Resource = N'LianApi.SchemaMigrator', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 600000;
            IF @Lock < 0 THROW 50001, N'Another instance held the schema migration lock for 10 minutes.', 1;
            """;

        public override string DeleteAtMost(string table, string[] keys, string where) => $"DELETE TOP (@Limit) FROM {table} WHERE {where}";
        public override string CreateSchemaVersionsTable => """
            IF OBJECT_ID(N'SchemaVersions', N'U') IS NULL
                CREATE TABLE SchemaVersions (
                    Version int NOT NULL PRIMARY KEY, Script nvarchar(200) NOT NULL, AppliedAt datetime2(7) NOT NULL);
            """;
        public override string NextCounterValue => """
            MERGE Counters WITH (HOLDLOCK) AS target
            USING (SELECT @Name AS Name) AS source ON target.Name = source.Name
            WHEN MATCHED THEN UPDATE SET LastValue = target.LastValue + 1
            WHEN NOT MATCHED THEN INSERT (Name, LastValue) VALUES (source.Name, 1)
            OUTPUT INSERTED.LastValue;
            """;

        public override string Upsert(string table, string[] keys, string[] columns, string[]? insertOnly = null)
        {
            var all = keys.Concat(columns).Concat(insertOnly ?? []).ToArray();
            return $"""
                MERGE {table} WITH (HOLDLOCK) AS target
                USING (SELECT {string.Join(", ", all.Select(c => $"@{c} AS {c}"))}) AS source
                ON {string.Join(" AND ", keys.Select(k => $"target.{k} = source.{k}"))}
                WHEN MATCHED THEN UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = source.{c}"))}
                WHEN NOT MATCHED THEN INSERT ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "source." + c))});
                """;
        }

        public override string DeleteAllLocked(string table) => $"DELETE FROM {table} WITH (TABLOCKX)";

        public override string NotAnIndexKey(string column) => column;

        public override string NthRow(string skip) => $"OFFSET {skip} ROWS FETCH NEXT 1 ROWS ONLY";

        public override string After(string[] columns, string[] parameters) => Beyond(columns, parameters, ">");

        public override string Before(string[] columns, string[] parameters) => Beyond(columns, parameters, "<");

        private static string Beyond(string[] columns, string[] parameters, string direction)
        {
            var expanded = $"{columns[^1]} {direction} {parameters[^1]}";
            for (var i = columns.Length - 2; i >= 0; i--)
            {
                expanded = $"{columns[i]} {direction} {parameters[i]} OR ({columns[i]} = {parameters[i]} AND ({expanded}))";
            }
            return $"{columns[0]} {direction}= {parameters[0]} AND ({expanded})";
        }

        public override string UpsertAdding(string table, string[] keys, string[] counters)
        {
            var all = keys.Concat(counters).ToArray();
            return $"""
                MERGE {table} WITH (HOLDLOCK) AS target
                USING (SELECT {string.Join(", ", all.Select(c => $"@{c} AS {c}"))}) AS source
                ON {string.Join(" AND ", keys.Select(k => $"target.{k} = source.{k}"))}
                WHEN MATCHED THEN UPDATE SET {string.Join(", ", counters.Select(c => $"{c} = target.{c} + source.{c}"))}
                WHEN NOT MATCHED THEN INSERT ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "source." + c))});
                """;
        }
    }
}
