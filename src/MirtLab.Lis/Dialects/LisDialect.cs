using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Dapper;
using MirtLab.Core.Runs;
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

    /// <summary>Most (patient, analyte) keys one previous-results command may carry (the engine's parameter limit).</summary>
    public virtual int PreviousResultsKeysPerCommand => 1000;

    /// <summary>
    /// One read-only command answering the delta check for <paramref name="keys"/>: for each key that has one, a row
    /// (key index from 0, value, instrument_time_utc, result_key) of the patient's latest result of that analyte with
    /// a number and status F or C, acquired before <paramref name="beforeUtc"/> when given.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="keys">Distinct keys, at most <see cref="PreviousResultsKeysPerCommand"/>.</param>
    /// <param name="beforeUtc">Exclusive upper bound as the tables store instants (ISO 8601 UTC text), or null for no bound.</param>
    public abstract DbCommand CreatePreviousResultsCommand(DbConnection connection, IReadOnlyList<(string PatientId, string Analyte)> keys, string? beforeUtc);

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

    /// <summary>Runs the previous-results commands for <paramref name="keys"/> (distinct), a chunk per command.</summary>
    internal async Task<IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult>> ReadPreviousResultsAsync(
        DbConnection connection, IReadOnlyList<(string PatientId, string Analyte)> keys, string? beforeUtc, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string PatientId, string Analyte), PreviousResult>();
        var size = PreviousResultsKeysPerCommand;
        for (var start = 0; start < keys.Count; start += size)
        {
            var chunk = start == 0 && keys.Count <= size ? keys : keys.Skip(start).Take(size).ToList();
            await using var command = CreatePreviousResultsCommand(connection, chunk, beforeUtc);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // The key comes back as its index, not as text: engines may compare text differently (SQL Server's
                // collations ignore case), but the answer is filed under exactly the key the caller asked for.
                var key = chunk[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)];
                found[key] = new PreviousResult(ReadValue(reader.GetValue(1)), ReadInstant(reader.GetValue(2)), reader.GetString(3));
            }
        }

        return found;
    }

    /// <summary>
    /// Writes <c>VALUES (0, @P0, @A0), (1, @P1, @A1), …</c> and adds the key parameters: the ordinals are the
    /// command's own numbers, every patient id and analyte code is a parameter.
    /// </summary>
    protected static string KeyValues(DbCommand command, IReadOnlyList<(string PatientId, string Analyte)> keys, Action<DbParameter>? shape = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(keys);
        var sql = new StringBuilder("VALUES ");
        for (var i = 0; i < keys.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({i}, @P{i}, @A{i})");
            AddParameter(command, string.Create(CultureInfo.InvariantCulture, $"@P{i}"), keys[i].PatientId, shape);
            AddParameter(command, string.Create(CultureInfo.InvariantCulture, $"@A{i}"), keys[i].Analyte, shape);
        }

        return sql.ToString();
    }

    /// <summary>Adds a named parameter; <paramref name="shape"/> sets engine-specific type or size.</summary>
    protected static void AddParameter(DbCommand command, string name, object? value, Action<DbParameter>? shape = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        shape?.Invoke(parameter);
        command.Parameters.Add(parameter);
    }

    // SQLite holds values as REAL (15 significant digits survive), the servers as exact decimals with their own
    // scale (SQL Server decimal(19,6) answers 46.300000). Trailing zeros are dropped so the delta check's text reads
    // the same whatever the engine; the value is unchanged.
    private static decimal ReadValue(object value) =>
        Convert.ToDecimal(value, CultureInfo.InvariantCulture) / 1.0000000000000000000000000000m;

    // SQLite answers the stored ISO text, Npgsql a UTC DateTime, SqlClient a datetime2 without kind (stored as UTC).
    private static DateTimeOffset? ReadInstant(object value) => value switch
    {
        DBNull => null,
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        DateTimeOffset o => o.ToUniversalTime(),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"instrument_time_utc came back as {value.GetType().Name}; expected text or a date and time.")),
    };

    /// <summary>The dialect for a provider name: <c>Sqlite</c>, <c>PostgreSql</c> or <c>SqlServer</c> (any case).</summary>
    public static LisDialect For(string provider) => provider.ToUpperInvariant() switch
    {
        "SQLITE" => new SqliteLisDialect(),
        "POSTGRESQL" => new PostgreSqlLisDialect(),
        "SQLSERVER" => new SqlServerLisDialect(),
        _ => throw new NotSupportedException($"LIS provider '{provider}' is not supported; use Sqlite, PostgreSql or SqlServer."),
    };
}
