using System.Data.Common;
using System.Globalization;
using Dapper;
using LianApi.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace LianApi.Tests.Data;

/// <summary>
/// Development and CI run SQLite, production runs SQL Server, and each provider has its own migration scripts.
/// A column or a reference row added to one provider's scripts only would pass every SQLite test and break
/// production, so the migrated SQLite database is compared with what the SQL Server scripts create.
/// </summary>
public sealed class SchemaParityTests
{
    // Written by SchemaMigrator itself (one row per applied script), not by the scripts.
    private const string SchemaVersions = "SchemaVersions";

    // The one deliberate difference (migration 025): each provider keeps the searchable text of cases its own way, SQLite
    // in an FTS5 trigram table (with the shadow tables FTS5 creates), SQL Server in a table of bigrams.
    private static readonly HashSet<string> ProviderSpecific = new(StringComparer.OrdinalIgnoreCase)
    {
        "ComplaintText", "ComplaintText_config", "ComplaintText_data", "ComplaintText_docsize", "ComplaintText_idx",
        "ComplaintGrams", "IX_ComplaintGrams_ComplaintId",
    };

    private const string SelectTables = @"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name";

    // table_xinfo, not table_info: the latter leaves out generated columns (Complaints.ReceivedMonth).
    private const string SelectColumns = "SELECT name FROM pragma_table_xinfo(@Table) ORDER BY cid";

    // Indexes the scripts create by name; SQLite's own (for PRIMARY KEY and inline UNIQUE) have no SQL.
    private const string SelectIndexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name";

    private SqliteTestDatabase? database;
    private SchemaModel sqlite = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task MigrateFreshSqlite()
    {
        database = new SqliteTestDatabase();
        await database.CreateAsync();
        await using var services = database.BuildServices(TimeProvider.System);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(Ct);
        sqlite = await services.GetRequiredService<Database>().ReadAsync(ReadSqliteAsync, Ct);
    }

    [OneTimeTearDown]
    public async Task RemoveSqlite()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [Test]
    public void MigratedSqlite_ComparedWithSqlServerScripts_HasTheSameTablesAndColumns()
    {
        var sqlServer = ReadSqlServerScripts();

        Assert.That(ColumnDifferences(sqlServer, sqlite), Is.Empty,
            "The SQLite and SQL Server migrations create different tables or columns; add the change to both Schema folders");
    }

    [Test]
    public void MigratedSqlite_ComparedWithSqlServerScripts_HasTheSameNamedIndexes()
    {
        var sqlServer = ReadSqlServerScripts();

        Assert.Multiple(() =>
        {
            Assert.That(sqlServer.Indexes.Except(sqlite.Indexes, StringComparer.OrdinalIgnoreCase), Is.Empty, "indexes only in the SQL Server scripts");
            Assert.That(sqlite.Indexes.Except(sqlServer.Indexes, StringComparer.OrdinalIgnoreCase), Is.Empty, "indexes only in SQLite");
            Assert.That(sqlite.Indexes, Does.Contain("IX_Complaints_NextSweepAt").And.Contain("IX_IdempotencyKeys_CreatedAt"));
        });
    }

    [Test]
    public void MigratedSqlite_ComparedWithSqlServerScripts_HasTheSameReferenceRows()
    {
        var sqlServer = ReadSqlServerScripts();

        Assert.That(RowDifferences(sqlServer, sqlite), Is.Empty,
            "The SQLite and SQL Server migrations insert different reference data; insert the same rows in both Schema folders");
    }

    [Test]
    public void SqlServerScripts_EveryStatement_IsOneThisTestUnderstands()
    {
        // A statement the reader skips (a rename, an UPDATE of reference rows, ...) would make the comparison lie.
        var sqlServer = ReadSqlServerScripts();

        Assert.That(sqlServer.Unmodelled, Is.Empty,
            "SchemaParityTests.SqlServerReader does not model these statements; teach it what they change");
    }

    [TestCase("UPDATE Categories SET ResponseHours = ResponseHours + 1;", "extra line 1: UPDATE of reference rows")]
    [TestCase("UPDATE Categories SET ResponseHours = 2 WHERE SortOrder > 3;", "extra line 1: UPDATE of reference rows")]
    [TestCase("EXEC sp_rename N'Complaints.CloseReason', N'ClosingReason', N'COLUMN';", "extra line 1: EXEC sp_rename")]
    [TestCase("INSERT INTO Streets (Code, Name) SELECT Code, Name FROM Departments;", "extra line 1: INSERT other than INSERT INTO table (columns) VALUES (…)")]
    public void SqlServerReader_StatementItDoesNotModel_IsReported(string change, string expected)
    {
        var before = ReadSqlServerScripts().Unmodelled;
        var after = ReadSqlServerScripts(change).Unmodelled;

        Assert.That(after.Except(before), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void SqlServerReader_Scripts_SeesCreatedAndAddedColumnsAndInsertedRows()
    {
        // Guards the comparison itself: a reader that found nothing would find no differences either.
        var sqlServer = ReadSqlServerScripts();

        Assert.Multiple(() =>
        {
            Assert.That(sqlServer.Columns.Keys, Does.Contain("Complaints").And.Contain("WxaCodes").And.Contain(SchemaVersions));
            Assert.That(sqlServer.Columns["Complaints"], Does.Contain("TrackingNo"), "from CREATE TABLE in 001");
            Assert.That(sqlServer.Columns["Complaints"], Does.Contain("CloseReason"), "from ALTER TABLE … ADD in 003");
            Assert.That(sqlServer.Columns["ComplaintEvents"], Does.Contain("StaffId"), "from ALTER TABLE … ADD in 003");
            Assert.That(sqlServer.Rows["Streets"], Has.Count.EqualTo(9));
            Assert.That(sqlServer.Rows["Categories"], Has.Some.Matches<Dictionary<string, string>>(row =>
                row["Code"] == "'water'" && row["Name"] == "'供水排水'" && row["Hotline"] == "NULL" && row["ResponseHours"] == "4"));
            Assert.That(sqlServer.Rows["Categories"].Single(row => row["Code"] == "'water'")["RequiresResolutionPhoto"], Is.EqualTo("0"), "the default of ADD … DEFAULT in 011");
            Assert.That(sqlServer.Rows["Categories"].Single(row => row["Code"] == "'roof-leak'")["RequiresResolutionPhoto"], Is.EqualTo("1"), "from UPDATE … WHERE Code IN in 011");
            Assert.That(sqlite.Rows["Streets"], Has.Count.EqualTo(9), "SQLite side read through sqlite_master and pragma_table_info");
        });
    }

    [TestCase("ALTER TABLE Complaints ADD Extra nvarchar(20) NULL;", "Complaints.Extra: only in the SQL Server scripts")]
    [TestCase("CREATE TABLE Extras (Id bigint NOT NULL PRIMARY KEY);", "table Extras: only in the SQL Server scripts")]
    [TestCase("ALTER TABLE Complaints DROP COLUMN CloseReason;", "Complaints.CloseReason: only in SQLite")]
    [TestCase("INSERT INTO Streets (Code, Name) VALUES (N'extra', N'新街道');", "Streets row Code='extra', Name='新街道': only in the SQL Server scripts")]
    public void Compare_SqlServerScriptsWithOneMoreChange_ReportsTheDifference(string change, string expected)
    {
        var before = Differences(ReadSqlServerScripts());
        var after = Differences(ReadSqlServerScripts(change));

        // Relative to the unchanged scripts, so a real divergence fails only the two tests above.
        Assert.That(after.Except(before), Is.EqualTo(new[] { expected }));
    }

    private List<string> Differences(SchemaModel sqlServer) => [.. ColumnDifferences(sqlServer, sqlite), .. RowDifferences(sqlServer, sqlite)];

    private static List<string> ColumnDifferences(SchemaModel sqlServer, SchemaModel sqlite)
    {
        var differences = new List<string>();
        foreach (var table in sqlServer.Columns.Keys.Union(sqlite.Columns.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase))
        {
            var inSqlServer = sqlServer.Columns.GetValueOrDefault(table);
            var inSqlite = sqlite.Columns.GetValueOrDefault(table);
            if (inSqlServer is null || inSqlite is null)
            {
                differences.Add($"table {table}: only in {(inSqlite is null ? "the SQL Server scripts" : "SQLite")}");
                continue;
            }
            differences.AddRange(inSqlServer.Except(inSqlite, StringComparer.OrdinalIgnoreCase).Select(c => $"{table}.{c}: only in the SQL Server scripts"));
            differences.AddRange(inSqlite.Except(inSqlServer, StringComparer.OrdinalIgnoreCase).Select(c => $"{table}.{c}: only in SQLite"));
        }
        return differences;
    }

    private static List<string> RowDifferences(SchemaModel sqlServer, SchemaModel sqlite)
    {
        var differences = new List<string>();
        var tables = sqlServer.Rows.Keys.Union(sqlite.Rows.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(t => !t.Equals(SchemaVersions, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase);
        foreach (var table in tables)
        {
            // SQLite rows hold every column; an expected row matches one that agrees on the columns its INSERT named.
            var unmatched = sqlite.Rows.GetValueOrDefault(table)?.ToList() ?? [];
            foreach (var expected in sqlServer.Rows.GetValueOrDefault(table) ?? [])
            {
                var match = unmatched.FindIndex(actual => expected.All(e => actual.TryGetValue(e.Key, out var value) && value == e.Value));
                if (match < 0)
                {
                    differences.Add($"{table} row {Describe(expected)}: only in the SQL Server scripts");
                }
                else
                {
                    unmatched.RemoveAt(match);
                }
            }
            differences.AddRange(unmatched.Select(row => $"{table} row {Describe(row)}: only in SQLite"));
        }
        return differences;
    }

    private static string Describe(Dictionary<string, string> row) => string.Join(", ", row.Select(c => $"{c.Key}={c.Value}"));

    private static async Task<SchemaModel> ReadSqliteAsync(DbConnection connection)
    {
        var model = new SchemaModel();
        foreach (var table in (await connection.QueryAsync<string>(new CommandDefinition(SelectTables, cancellationToken: Ct))).Where(t => !ProviderSpecific.Contains(t)))
        {
            var columns = (await connection.QueryAsync<string>(new CommandDefinition(SelectColumns, new { Table = table }, cancellationToken: Ct))).ToList();
            model.AddColumns(table, columns);
            // Identifiers come from sqlite_master, never from input; SQLite cannot bind them as parameters.
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)}";
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                model.AddRow(table, columns.Select((c, i) => (c, Value.Of(reader.GetValue(i)))));
            }
        }
        model.Indexes.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(SelectIndexes, cancellationToken: Ct)));
        return model;
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static SchemaModel ReadSqlServerScripts(string? extraBatch = null)
    {
        // SchemaVersions is created by the migrator from the dialect, on both providers; compare it as well.
        var batches = new[] { ("SqlDialect.CreateSchemaVersionsTable", SqlDialect.SqlServer.CreateSchemaVersionsTable) }
            .Concat(SchemaMigrator.ScriptsFor(SqlDialect.SqlServer).SelectMany(s => s.Batches().Select(b => (s.Name, b))))
            .Concat(extraBatch is null ? [] : [("extra", extraBatch)]);
        var reader = new SqlServerReader();
        foreach (var (name, sql) in batches)
        {
            using var text = new StringReader(sql);
            var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(text, out var errors);
            Assert.That(errors, Is.Empty, $"{name} does not parse; SqlServerScriptTests says where");
            reader.Script = name;
            fragment.Accept(reader);
        }
        foreach (var name in ProviderSpecific)
        {
            reader.Model.Columns.Remove(name);
            reader.Model.Rows.Remove(name);
            reader.Model.Indexes.Remove(name);
        }
        return reader.Model;
    }

    /// <summary>Tables with their columns, and the rows in them, as the migrations leave a fresh database.</summary>
    private sealed class SchemaModel
    {
        public Dictionary<string, List<string>> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, List<Dictionary<string, string>>> Rows { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Unmodelled { get; } = [];

        public HashSet<string> Indexes { get; } = new(StringComparer.OrdinalIgnoreCase);

        public void AddColumns(string table, IEnumerable<string> columns)
        {
            if (!Columns.TryGetValue(table, out var list))
            {
                Columns[table] = list = [];
            }
            list.AddRange(columns);
        }

        public void AddRow(string table, IEnumerable<(string Column, string Value)> values)
        {
            if (!Rows.TryGetValue(table, out var list))
            {
                Rows[table] = list = [];
            }
            list.Add(values.ToDictionary(v => v.Column, v => v.Value, StringComparer.OrdinalIgnoreCase));
        }
    }

    /// <summary>Replays the SQL Server scripts' DDL and reference INSERTs on a <see cref="SchemaModel"/>.</summary>
    private sealed class SqlServerReader : TSqlFragmentVisitor
    {
        public SchemaModel Model { get; } = new();

        public string Script { get; set; } = "";

        public override void Visit(TSqlStatement node)
        {
            // Index changes and ALTER COLUMN (a type change) leave the names and rows compared here as they are; so does
            // an UPDATE that backfills, or a DELETE that empties, a table without reference rows (checked below).
            if (node is not (CreateTableStatement or AlterTableAddTableElementStatement or AlterTableDropTableElementStatement
                or DropTableStatement or InsertStatement or IfStatement or BeginEndBlockStatement
                or CreateIndexStatement or DropIndexStatement or AlterTableAlterColumnStatement or UpdateStatement or DeleteStatement or ExecuteStatement))
            {
                Unmodelled(node, node.GetType().Name);
            }
        }

        public override void Visit(CreateTableStatement node) =>
            Model.AddColumns(node.SchemaObjectName.BaseIdentifier.Value, node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));

        public override void Visit(AlterTableAddTableElementStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            Model.AddColumns(table, node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
            // A column added with a default gives the rows already there that value, as SQLite's ADD COLUMN … DEFAULT does.
            foreach (var column in node.Definition.ColumnDefinitions.Where(c => c.DefaultConstraint is not null))
            {
                if (Literal(column.DefaultConstraint.Expression) is not { } value)
                {
                    Unmodelled(node, "ADD COLUMN with a default other than a literal");
                    continue;
                }
                foreach (var row in Model.Rows.GetValueOrDefault(table) ?? [])
                {
                    row[column.ColumnIdentifier.Value] = value;
                }
            }
        }

        public override void Visit(AlterTableDropTableElementStatement node)
        {
            var columns = Model.Columns.GetValueOrDefault(node.SchemaObjectName.BaseIdentifier.Value) ?? [];
            foreach (var element in node.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
            {
                columns.RemoveAll(c => c.Equals(element.Name.Value, StringComparison.OrdinalIgnoreCase));
            }
        }

        public override void Visit(DropTableStatement node)
        {
            foreach (var table in node.Objects)
            {
                Model.Columns.Remove(table.BaseIdentifier.Value);
                Model.Rows.Remove(table.BaseIdentifier.Value);
            }
        }

        public override void Visit(CreateIndexStatement node) => Model.Indexes.Add(node.Name.Value);

        public override void Visit(DropIndexStatement node)
        {
            foreach (var clause in node.DropIndexClauses.OfType<DropIndexClause>())
            {
                Model.Indexes.Remove(clause.Index.Value);
            }
        }

        public override void Visit(ExecuteStatement node)
        {
            // Storage options (sp_tableoption) change how rows are kept, not which tables, columns or rows exist.
            var procedure = (node.ExecuteSpecification.ExecutableEntity as ExecutableProcedureReference)?.ProcedureReference.ProcedureReference.Name.BaseIdentifier.Value;
            if (!string.Equals(procedure, "sp_tableoption", StringComparison.OrdinalIgnoreCase))
            {
                Unmodelled(node, $"EXEC {procedure}");
            }
        }

        public override void Visit(DeleteStatement node)
        {
            var table = (node.DeleteSpecification.Target as NamedTableReference)?.SchemaObject.BaseIdentifier.Value;
            if (table is null || Model.Rows.ContainsKey(table))
            {
                Unmodelled(node, "DELETE of reference rows");
            }
        }

        public override void Visit(UpdateStatement node)
        {
            var table = (node.UpdateSpecification.Target as NamedTableReference)?.SchemaObject.BaseIdentifier.Value;
            if (table is null || (Model.Rows.ContainsKey(table) && !TryApplyUpdate(node.UpdateSpecification, Model.Rows[table])))
            {
                Unmodelled(node, "UPDATE of reference rows");
            }
        }

        /// <summary>Replays <c>UPDATE t SET c = literal, … WHERE k = literal</c> (or <c>k IN (literals)</c>) on the rows; false for any other UPDATE.</summary>
        private static bool TryApplyUpdate(UpdateSpecification update, List<Dictionary<string, string>> rows)
        {
            var sets = update.SetClauses.Select(c => c is AssignmentSetClause { AssignmentKind: AssignmentKind.Equals, Column: { } column } a
                    && Literal(a.NewValue) is { } value ? (Column: column.MultiPartIdentifier.Identifiers[^1].Value, Value: value) : default).ToList();
            var (key, keys) = update.WhereClause?.SearchCondition switch
            {
                BooleanComparisonExpression { ComparisonType: BooleanComparisonType.Equals, FirstExpression: ColumnReferenceExpression c, SecondExpression: var v } =>
                    (c.MultiPartIdentifier.Identifiers[^1].Value, new[] { Literal(v) }),
                InPredicate { NotDefined: false, Subquery: null, Expression: ColumnReferenceExpression c } @in =>
                    (c.MultiPartIdentifier.Identifiers[^1].Value, @in.Values.Select(Literal).ToArray()),
                _ => (null, []),
            };
            if (key is null || keys.Contains(null) || sets.Any(s => s.Column is null))
            {
                return false;
            }
            foreach (var row in rows.Where(r => r.TryGetValue(key, out var value) && keys.Contains(value)))
            {
                foreach (var (column, value) in sets)
                {
                    row[column] = value;
                }
            }
            return true;
        }

        public override void Visit(InsertStatement node)
        {
            var insert = node.InsertSpecification;
            if (insert.Target is not NamedTableReference { SchemaObject.BaseIdentifier.Value: var table }
                || insert.InsertSource is not ValuesInsertSource source || insert.Columns.Count == 0)
            {
                Unmodelled(node, "INSERT other than INSERT INTO table (columns) VALUES (…)");
                return;
            }
            var columns = insert.Columns.Select(c => c.MultiPartIdentifier.Identifiers[^1].Value).ToList();
            foreach (var row in source.RowValues)
            {
                var values = row.ColumnValues.Select(Literal).ToList();
                if (values.Contains(null))
                {
                    Unmodelled(node, "INSERT of a value other than a literal");
                    return;
                }
                Model.AddRow(table, columns.Zip(values, (c, v) => (c, v!)));
            }
        }

        private static string? Literal(ScalarExpression expression) => expression switch
        {
            NullLiteral => Value.Null,
            StringLiteral s => Value.Text(s.Value),
            IntegerLiteral or NumericLiteral or RealLiteral => Value.Number(double.Parse(((Literal)expression).Value, NumberStyles.Float, CultureInfo.InvariantCulture)),
            UnaryExpression { UnaryExpressionType: UnaryExpressionType.Negative, Expression: IntegerLiteral or NumericLiteral or RealLiteral } negative =>
                Value.Number(-double.Parse(((Literal)negative.Expression).Value, NumberStyles.Float, CultureInfo.InvariantCulture)),
            BinaryLiteral b => Value.Bytes(Convert.FromHexString(b.Value[2..])),
            _ => null,
        };

        private void Unmodelled(TSqlStatement node, string what) => Model.Unmodelled.Add($"{Script} line {node.StartLine}: {what}");
    }

    /// <summary>One spelling per value, whichever provider it came from: SQL Server's bit 1 and SQLite's INTEGER 1 are both "1".</summary>
    private static class Value
    {
        public const string Null = "NULL";

        public static string Text(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

        public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        public static string Bytes(byte[] value) => "0x" + Convert.ToHexString(value);

        public static string Of(object? value) => value switch
        {
            null or DBNull => Null,
            string s => Text(s),
            long l => Number(l),
            double d => Number(d),
            byte[] b => Bytes(b),
            _ => throw new NotSupportedException($"SQLite returned a {value.GetType()}"),
        };
    }
}
