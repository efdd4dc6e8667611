using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace LianApi.Data;

/// <summary>
/// The single SQLite writer's connection, which keeps every statement it compiled while it stays open.
/// Microsoft.Data.Sqlite compiles a command's SQL for each new command object, and Dapper makes a new one per call,
/// while the writer runs the same few dozen statements all day: compiling the report's INSERT (whose row feeds every
/// index of Complaints) cost more than running it. The commands made here are shells that collect Dapper's text and
/// parameters; at execution they hand the parameters to the compiled command kept for that text.
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
        }
        compiled.Clear();
    }

    private sealed class Compiled(DbCommand command)
    {
        public DbCommand Command { get; } = command;

        public DbDataReader? Reader { get; set; }
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

        public override int ExecuteNonQuery() => Bound().ExecuteNonQuery();

        public override object? ExecuteScalar() => Bound().ExecuteScalar();

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
                command.Parameters.Add(parameter);
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
