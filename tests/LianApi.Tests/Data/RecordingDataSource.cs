using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace LianApi.Tests.Data;

/// <summary>
/// A database that is not there: it records every command the stores send and answers with empty results
/// (and 1 for scalars). It lets tests see the exact SQL Server command sequence, batch by batch, without a server.
/// </summary>
internal sealed class RecordingDataSource : DbDataSource
{
    private readonly Lock gate = new();
    private readonly List<string> commands = [];

    public override string ConnectionString => "Recording=true";

    /// <summary>Command texts in the order they were executed, one entry per round trip (= one T-SQL batch).</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (gate)
            {
                return [.. commands];
            }
        }
    }

    internal void Record(string commandText)
    {
        lock (gate)
        {
            commands.Add(commandText);
        }
    }

    protected override DbConnection CreateDbConnection() => new RecordingConnection(this);

    private sealed class RecordingConnection(RecordingDataSource source) : DbConnection
    {
        private ConnectionState state = ConnectionState.Closed;

        [AllowNull]
        public override string ConnectionString { get; set; } = source.ConnectionString;

        public override string Database => "recording";

        public override string DataSource => "recording";

        public override string ServerVersion => "16.00";

        public override ConnectionState State => state;

        public override void ChangeDatabase(string databaseName)
        {
        }

        public override void Close() => state = ConnectionState.Closed;

        public override void Open() => state = ConnectionState.Open;

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new RecordingTransaction(this, isolationLevel);

        protected override DbCommand CreateDbCommand() => new RecordingCommand(source) { Connection = this };
    }

    private sealed class RecordingTransaction(DbConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }

    private sealed class RecordingCommand(RecordingDataSource source) : DbCommand
    {
        private readonly RecordingParameters parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection { get; set; }

        protected override DbParameterCollection DbParameterCollection => parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        public override int ExecuteNonQuery()
        {
            source.Record(CommandText);
            return 1;
        }

        public override object? ExecuteScalar()
        {
            source.Record(CommandText);
            return 1L;
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            source.Record(CommandText);
            // Several empty result sets, so a batch read with QueryMultiple gets each of its grids (and no rows).
            return new DataTableReader([.. Enumerable.Range(0, 4).Select(_ => EmptyTable())]);
        }

        protected override DbParameter CreateDbParameter() => new RecordingParameter();

        private static DataTable EmptyTable()
        {
            var table = new DataTable();
            table.Columns.Add("Value", typeof(long));
            return table;
        }
    }

    private sealed class RecordingParameter : DbParameter
    {
        public override DbType DbType { get; set; } = DbType.String;

        public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;

        public override bool IsNullable { get; set; }

        [AllowNull]
        public override string ParameterName { get; set; } = "";

        public override int Size { get; set; }

        [AllowNull]
        public override string SourceColumn { get; set; } = "";

        public override bool SourceColumnNullMapping { get; set; }

        public override object? Value { get; set; }

        public override void ResetDbType() => DbType = DbType.String;
    }

    private sealed class RecordingParameters : DbParameterCollection
    {
        private readonly List<DbParameter> items = [];

        public override int Count => items.Count;

        public override object SyncRoot => items;

        public override int Add(object value)
        {
            items.Add((DbParameter)value);
            return items.Count - 1;
        }

        public override void AddRange(Array values)
        {
            foreach (var value in values)
            {
                Add(value);
            }
        }

        public override void Clear() => items.Clear();

        public override bool Contains(object value) => items.Contains((DbParameter)value);

        public override bool Contains(string value) => IndexOf(value) >= 0;

        public override void CopyTo(Array array, int index) => ((ICollection)items).CopyTo(array, index);

        public override IEnumerator GetEnumerator() => items.GetEnumerator();

        public override int IndexOf(object value) => items.IndexOf((DbParameter)value);

        public override int IndexOf(string parameterName) => items.FindIndex(p => p.ParameterName == parameterName);

        public override void Insert(int index, object value) => items.Insert(index, (DbParameter)value);

        public override void Remove(object value) => items.Remove((DbParameter)value);

        public override void RemoveAt(int index) => items.RemoveAt(index);

        public override void RemoveAt(string parameterName) => items.RemoveAt(IndexOf(parameterName));

        protected override DbParameter GetParameter(int index) => items[index];

        protected override DbParameter GetParameter(string parameterName) => items[IndexOf(parameterName)];

        protected override void SetParameter(int index, DbParameter value) => items[index] = value;

        protected override void SetParameter(string parameterName, DbParameter value) => items[IndexOf(parameterName)] = value;
    }
}
