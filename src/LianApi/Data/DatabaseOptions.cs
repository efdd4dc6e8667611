using System.ComponentModel.DataAnnotations;

namespace LianApi.Data;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>Which database the app talks to; the connection string itself is <c>ConnectionStrings:Lian</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Lian";
    public const string DefaultSqliteConnectionString = "Data Source=data/lian.db";

    /// <summary><c>Sqlite</c> (embedded default) or <c>SqlServer</c> (production).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending schema scripts when the app starts (the <c>migrate</c> verb does it on demand).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Seed the nine streets' publicly named communities for local development.</summary>
    public bool SeedDevelopmentData { get; set; }

    /// <summary>How long a write waits for SQLite's single writer slot before the request gets a 503.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan WriteLockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SQLite: once the write-ahead log file is this large after a commit, the writer copies it into the database
    /// file and truncates it, even in the middle of a burst of writes.
    /// </summary>
    [Range(typeof(long), "65536", "1073741824")]
    public long WalCheckpointBytes { get; set; } = SqliteDataSource.JournalSizeLimit;

    /// <summary>SQLite: after this long without a write, the writer copies the write-ahead log into the database file and truncates it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan WalIdleCheckpointDelay { get; set; } = TimeSpan.FromSeconds(1);
}
