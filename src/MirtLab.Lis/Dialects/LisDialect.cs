using System.Data.Common;
using System.Net.Sockets;
using Dapper;
using MirtLab.Lis.Schema;
using Polly;

namespace MirtLab.Lis.Dialects;

/// <summary>
/// What differs between LIS database engines: connections, schema scripts, upsert syntax, the bulk path and
/// which errors are worth retrying. Everything else (Dapper, transactions, mapping, resilience) is shared.
/// </summary>
public abstract class LisDialect
{
    public abstract string Name { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    public abstract IReadOnlyList<Migration> Migrations { get; }

    public abstract string CreateVersionTableSql { get; }

    public virtual string VersionTable => "mirtlab_schema_version";

    /// <summary>A query returning 1 when the version table exists and 0 otherwise, without needing DDL rights.</summary>
    public abstract string VersionTableExistsSql { get; }

    /// <summary>Records an applied script; parameters <c>@Version</c>, <c>@Description</c>, <c>@AppliedUtc</c> (ISO 8601 text).</summary>
    public virtual string InsertVersionSql =>
        $"INSERT INTO {VersionTable} (version, description, applied_utc) VALUES (@Version, @Description, @AppliedUtc)";

    /// <summary>Inserts or updates a run row.</summary>
    public abstract string UpsertRunSql { get; }

    /// <summary>Inserts a result, or updates it when the incoming revision is newer (never older).</summary>
    public abstract string UpsertResultSql { get; }

    /// <summary>Inserts a history row unless that (key, revision) is already there.</summary>
    public abstract string InsertHistorySql { get; }

    /// <summary>Writes the readiness row (proves the service account can write).</summary>
    public abstract string ProbeSql { get; }

    /// <summary>
    /// True for errors that may pass if retried (connection lost, server busy, deadlock, the writer's own circuit
    /// breaker or attempt timeout); false for errors that will fail the same way again (constraint, schema, rights).
    /// </summary>
    public bool IsTransient(Exception exception) => exception switch
    {
        LisUnavailableException or ExecutionRejectedException => true,
        SocketException or IOException or TimeoutException => true,
        _ => IsTransientError(exception),
    };

    /// <summary>The engine's own classification of its errors, for <see cref="IsTransient"/>.</summary>
    protected abstract bool IsTransientError(Exception exception);

    /// <summary>Prepares a fresh connection (pragmas, session settings).</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Serialises schema migrations between MirtLab nodes that start together; null where the engine already does
    /// (SQLite's write transactions are exclusive).
    /// </summary>
    public virtual Task<IAsyncDisposable?> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>
    /// Writes the run and its results inside <paramref name="transaction"/>. The default sends the per-row upserts
    /// (one prepared statement executed per row); engines with a faster bulk path override it.
    /// </summary>
    /// <returns>A short name of the path taken, for logs and measurements.</returns>
    public virtual async Task<string> WriteBatchAsync(DbConnection connection, DbTransaction transaction, LisBatch batch, CancellationToken cancellationToken)
    {
        await WriteRunAsync(connection, transaction, batch, cancellationToken);
        if (batch.Results.Count > 0)
        {
            var ordered = InLockOrder(batch.Results);
            await connection.ExecuteAsync(new CommandDefinition(UpsertResultSql, ordered, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(InsertHistorySql, ordered, transaction, cancellationToken: cancellationToken));
        }

        return "rows";
    }

    /// <summary>Upserts the run row; written first, so concurrent deliveries of one run queue on it.</summary>
    protected Task WriteRunAsync(DbConnection connection, DbTransaction transaction, LisBatch batch, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(UpsertRunSql, batch.Run, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Rows in key order: two writers of overlapping batches then lock rows in the same order and cannot deadlock.
    /// </summary>
    protected static IReadOnlyList<LisResultRow> InLockOrder(IReadOnlyList<LisResultRow> rows)
    {
        for (var i = 1; i < rows.Count; i++)
        {
            if (string.CompareOrdinal(rows[i - 1].ResultKey, rows[i].ResultKey) > 0)
            {
                return [.. rows.OrderBy(r => r.ResultKey, StringComparer.Ordinal).ThenBy(r => r.Revision)];
            }
        }

        return rows;
    }

    /// <summary>The dialect for a provider name: <c>Sqlite</c>, <c>PostgreSql</c> or <c>SqlServer</c> (any case).</summary>
    public static LisDialect For(string provider) => provider.ToUpperInvariant() switch
    {
        "SQLITE" => new SqliteLisDialect(),
        "POSTGRESQL" => new PostgreSqlLisDialect(),
        "SQLSERVER" => new SqlServerLisDialect(),
        _ => throw new NotSupportedException($"LIS provider '{provider}' is not supported; use Sqlite, PostgreSql or SqlServer."),
    };
}
