using Dapper;
using MirtLab.Lis.Dialects;

namespace MirtLab.Lis;

/// <summary>
/// Writes batches into the LIS interface tables: one transaction per batch (a run and its results),
/// idempotent (a retried batch updates nothing it already wrote), history kept for every revision.
/// </summary>
public sealed class LisWriter
{
    private readonly LisDialect _dialect;
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public LisWriter(LisDialect dialect, string connectionString, TimeProvider time)
    {
        _dialect = dialect;
        _connectionString = connectionString;
        _time = time;
    }

    public LisDialect Dialect => _dialect;

    /// <summary>Creates or upgrades the schema; returns the versions applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Schema.SchemaMigrator.MigrateAsync(connection, _dialect.Migrations, _dialect.VersionTable, _dialect.CreateVersionTableSql, _time.GetUtcNow(), cancellationToken);
    }

    public async Task WriteAsync(LisBatch batch, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(_dialect.UpsertRunSql, batch.Run, transaction, cancellationToken: cancellationToken));
        if (batch.Results.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(_dialect.UpsertResultSql, batch.Results, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(_dialect.InsertHistorySql, batch.Results, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Proves the delivery path works: opens a connection and writes the health row.</summary>
    public async Task ProbeAsync(string node, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            _dialect.ProbeSql,
            new { Node = node, Now = _time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
            cancellationToken: cancellationToken));
    }

    private async Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _dialect.CreateConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await _dialect.PrepareAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
