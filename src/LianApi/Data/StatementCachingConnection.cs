using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LianApi.Data;

/// <summary>
/// The single SQLite writer's connection, which keeps every statement it compiled while it stays open.
/// Microsoft.Data.Sqlite compiles a command's SQL for each new command object, and Dapper makes a new one per call,
/// while the writer runs the same few dozen statements all day: compiling the report's INSERT (whose row feeds every
/// index of Complaints) cost more than running it. The commands made here are shells that collect Dapper's text and
/// parameters; at execution they hand the parameters to the compiled command kept for that text.
/// A text of several statements (a write's batch) runs as one kept command per statement, each given only the parameters
/// it names: Microsoft.Data.Sqlite binds every parameter of a command to each of its statements, looking each name up
/// by three prefixes and allocating on every try, which on a report's batch cost more than the statements themselves.
/// </summary>
internal sealed class StatementCachingConnection(DbConnection inner) : DbConnection
{
    // Texts built from varying parts (a batch of rollup rows) must not grow the cache without end.
    private const int Capacity = 256;

    private readonly Dictionary<string, Compiled> compiled = new(StringComparer.Ordinal);

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => inner.ConnectionString = value;
    }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    /// <summary>The parameter names of each statement a text runs as, when it runs as several (for tests).</summary>
    internal IReadOnlyList<IReadOnlySet<string>>? StatementParameters(string sql) => PartsOf(sql)?.Select(p => (IReadOnlySet<string>)p.Names).ToList();

    /// <summary>How many compiled statements are kept now (for tests).</summary>
    internal int CompiledCount => compiled.Count;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Open() => inner.Open();

    public override void Close()
    {
        Forget();
        inner.Close();
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new ShellCommand(this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Forget();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>The compiled command for this text, or a new one when the kept one still has a reader open (a query inside a query).</summary>
    private DbCommand CommandFor(string sql)
    {
        if (compiled.TryGetValue(sql, out var kept))
        {
            if (kept.Reader is not { IsClosed: false })
            {
                return kept.Command;
            }
            return Create(sql);
        }
        if (compiled.Count >= Capacity)
        {
            Forget();
        }
        var command = Create(sql);
        compiled[sql] = new Compiled(command);
        return command;
    }

    private DbCommand CreateInnerCommand() => inner.CreateCommand();

    private readonly Dictionary<string, string> prefixedNames = new(StringComparer.Ordinal);

    /// <summary>
    /// The parameter named as our SQL writes it (@Name). Dapper names parameters without a prefix, and Microsoft.Data.Sqlite
    /// then looks a bare name up under all three prefixes SQLite allows (@, $, :), building and marshalling each try; a
    /// prefixed name is looked up once.
    /// </summary>
    private DbParameter Prefixed(DbParameter parameter)
    {
        var name = parameter.ParameterName;
        if (name.Length > 0 && name[0] is not ('@' or '$' or ':'))
        {
            if (!prefixedNames.TryGetValue(name, out var prefixed))
            {
                if (prefixedNames.Count >= Capacity * 16)
                {
                    prefixedNames.Clear();
                }
                prefixedNames[name] = prefixed = "@" + name;
            }
            parameter.ParameterName = prefixed;
        }
        return parameter;
    }

    private DbCommand Create(string sql)
    {
        var command = inner.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Lent(string sql, DbCommand command, DbDataReader reader)
    {
        if (compiled.TryGetValue(sql, out var kept) && ReferenceEquals(kept.Command, command))
        {
            kept.Reader = reader;
        }
    }

    private void Forget()
    {
        foreach (var kept in compiled.Values)
        {
            kept.Command.Dispose();
            foreach (var part in kept.Parts ?? [])
            {
                part.Command.Dispose();
            }
        }
        compiled.Clear();
    }

    private sealed class Compiled(DbCommand command)
    {
        public DbCommand Command { get; } = command;

        public DbDataReader? Reader { get; set; }

        /// <summary>The text's statements when it has more than one (null: not split yet; empty: one statement, not split).</summary>
        public IReadOnlyList<Part>? Parts { get; set; }
    }

    /// <summary>One statement of a text of several: its kept command, the parameter names it uses (without prefix), whether it answers rows.</summary>
    private sealed record Part(DbCommand Command, HashSet<string> Names, bool AnswersRows);

    /// <summary>The statements of <paramref name="sql"/> as SQLite's parser separates them; empty when there is one (or the connection is not SQLite).</summary>
    private IReadOnlyList<Part> Split(string sql)
    {
        if (inner is not SqliteConnection { Handle: { } handle })
        {
            return [];
        }
        var parts = new List<(string Sql, HashSet<string> Names, bool Rows)>();
        var rest = sql;
        while (rest.Length > 0)
        {
            var rc = raw.sqlite3_prepare_v2(handle, rest, out var statement, out var tail);
            if (rc != raw.SQLITE_OK)
            {
                // Let the command report SQLite's own error when it runs.
                statement?.Dispose();
                return [];
            }
            using (statement)
            {
                if (statement is not null && !statement.IsInvalid)
                {
                    var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    for (var i = 1; i <= raw.sqlite3_bind_parameter_count(statement); i++)
                    {
                        names.Add(raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string().TrimStart('@', '$', ':'));
                    }
                    parts.Add((raw.sqlite3_sql(statement).utf8_to_string(), names, raw.sqlite3_column_count(statement) > 0));
                }
            }
            rest = tail ?? "";
        }
        return parts.Count <= 1 ? [] : parts.Select(p => new Part(Create(p.Sql), p.Names, p.Rows)).ToList();
    }

    /// <summary>The kept statements of a text of several, or null when it is one statement (run as one command).</summary>
    private IReadOnlyList<Part>? PartsOf(string sql)
    {
        if (!compiled.TryGetValue(sql, out var kept))
        {
            CommandFor(sql);
            kept = compiled[sql];
        }
        kept.Parts ??= Split(sql);
        return kept.Parts.Count == 0 ? null : kept.Parts;
    }

    /// <summary>What Dapper fills in; executed by the kept compiled command of its text.</summary>
    private sealed class ShellCommand(StatementCachingConnection owner) : DbCommand
    {
        private readonly DbCommand collected = owner.CreateInnerCommand();

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => owner;
            set
            {
                if (value is not null && !ReferenceEquals(value, owner))
                {
                    throw new NotSupportedException("A command of the writer's connection runs on that connection only.");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => collected.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => collected.CreateParameter();

        public override int ExecuteNonQuery()
        {
            if (Parts() is not { } parts)
            {
                return Bound().ExecuteNonQuery();
            }
            // As SQLite's command counts: the rows each changing statement changed, -1 when none changes rows.
            var changed = -1;
            foreach (var part in parts)
            {
                var rows = Bound(part).ExecuteNonQuery();
                if (rows >= 0)
                {
                    changed = Math.Max(changed, 0) + rows;
                }
            }
            return changed;
        }

        public override object? ExecuteScalar()
        {
            if (Parts() is not { } parts)
            {
                return Bound().ExecuteScalar();
            }
            // The first value of the first statement that answers rows; every statement runs, in order.
            object? scalar = null;
            var answered = false;
            foreach (var part in parts)
            {
                if (part.AnswersRows && !answered)
                {
                    scalar = Bound(part).ExecuteScalar();
                    answered = true;
                }
                else
                {
                    Bound(part).ExecuteNonQuery();
                }
            }
            return scalar;
        }

        private IReadOnlyList<Part>? Parts() => CommandType == CommandType.Text ? owner.PartsOf(CommandText) : null;

        private DbCommand Bound(Part part)
        {
            part.Command.Transaction = DbTransaction;
            part.Command.CommandTimeout = CommandTimeout;
            part.Command.Parameters.Clear();
            foreach (DbParameter parameter in collected.Parameters)
            {
                if (part.Names.Contains(parameter.ParameterName.TrimStart('@', '$', ':')))
                {
                    part.Command.Parameters.Add(owner.Prefixed(parameter));
                }
            }
            return part.Command;
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            var command = Bound();
            var reader = command.ExecuteReader(behavior);
            owner.Lent(CommandText, command, reader);
            return reader;
        }

        private DbCommand Bound()
        {
            if (CommandType != CommandType.Text)
            {
                throw new NotSupportedException("SQLite runs text commands only.");
            }
            var command = owner.CommandFor(CommandText);
            command.Transaction = DbTransaction;
            command.CommandTimeout = CommandTimeout;
            command.Parameters.Clear();
            foreach (DbParameter parameter in collected.Parameters)
            {
                command.Parameters.Add(owner.Prefixed(parameter));
            }
            return command;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                collected.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
