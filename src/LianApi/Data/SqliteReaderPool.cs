using System.Collections.Concurrent;
using System.Data.Common;

namespace LianApi.Data;

/// <summary>
/// SQLite connections kept open for reads, each keeping the statements it compiled (<see cref="StatementCachingConnection"/>).
/// A resident's own report or a landing is one short query whose compiling cost more than running it; reads borrow a
/// kept connection and give it back, so a hot query is compiled once per connection, not once per request.
/// A connection whose work failed is closed rather than kept, so nothing a failure left behind reaches the next read.
/// </summary>
internal sealed class SqliteReaderPool(DbDataSource source, int capacity) : IAsyncDisposable
{
    private readonly ConcurrentBag<StatementCachingConnection> idle = [];
    private int idleCount;
    private volatile bool disposed;

    public async ValueTask<StatementCachingConnection> RentAsync(CancellationToken ct)
    {
        if (idle.TryTake(out var kept))
        {
            Interlocked.Decrement(ref idleCount);
            return kept;
        }
        return new StatementCachingConnection(await source.OpenConnectionAsync(ct));
    }

    public async ValueTask ReturnAsync(StatementCachingConnection connection, bool healthy)
    {
        if (healthy && !disposed && connection.State == System.Data.ConnectionState.Open
            && Interlocked.Increment(ref idleCount) <= capacity)
        {
            idle.Add(connection);
            if (disposed)
            {
                await DisposeAsync();
            }
            return;
        }
        if (healthy && !disposed && connection.State == System.Data.ConnectionState.Open)
        {
            Interlocked.Decrement(ref idleCount);
        }
        await connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        while (idle.TryTake(out var kept))
        {
            await kept.DisposeAsync();
        }
    }
}
