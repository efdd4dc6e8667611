using System.Data.Common;
using System.Text;
using Dapper;

namespace LianApi.Data;

/// <summary>
/// Statements of several owners gathered into one command inside a write's transaction. Each store appends its own
/// statement through a method of its own (the SQL never leaves the store that owns the table), and the write that
/// gathered them runs them in one round trip: the single SQLite writer pays one command, not one per owner.
/// </summary>
public sealed class WriteBatch(DbConnection connection, DbTransaction transaction, SqlDialect dialect, TransactionTail tail)
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public SqlDialect Dialect { get; } = dialect;
    public StringBuilder Sql { get; } = new();
    public DynamicParameters Parameters { get; private set; } = new();

    private TransactionTail Tail { get; } = tail;

    /// <summary>
    /// A contribution to what the transaction writes once for all its units before it commits (see <see cref="TransactionTail"/>);
    /// appended to this batch at once when the transaction holds this unit alone.
    /// </summary>
    public void AddToTail(ITailWriter writer, object contribution)
    {
        if (Tail.MergesUnits)
        {
            Tail.Add(writer, contribution);
        }
        else
        {
            writer.Append(this, [contribution]);
        }
    }

    /// <summary>Adds a statement and its parameters; the caller keeps the parameter names apart from the others of the batch.</summary>
    public WriteBatch Append(string sql, object? parameters = null)
    {
        Sql.Append(sql).Append('\n');
        if (parameters is not null)
        {
            Parameters.AddDynamicParams(parameters);
        }
        return this;
    }

    /// <summary>Runs what was gathered (nothing when empty) and starts an empty batch.</summary>
    public async Task ExecuteAsync(CancellationToken ct)
    {
        if (Sql.Length > 0)
        {
            await Connection.ExecuteAsync(Take(ct));
        }
    }

    /// <summary>Runs what was gathered when its statements answer rows, read in order; starts an empty batch.</summary>
    public Task<SqlMapper.GridReader> QueryMultipleAsync(CancellationToken ct) => Connection.QueryMultipleAsync(Take(ct));

    private CommandDefinition Take(CancellationToken ct)
    {
        var command = new CommandDefinition(Sql.ToString(), Parameters, Transaction, cancellationToken: ct);
        Sql.Clear();
        Parameters = new DynamicParameters();
        return command;
    }
}
