using System.Data.Common;
using MirtLab.Lis.Dialects;
using MirtLab.Lis.Schema;

namespace MirtLab.Lis.Tests.Support;

/// <summary>A real dialect passed through unchanged; test dialects derive from it and change one thing.</summary>
public abstract class DelegatingDialect(LisDialect inner) : LisDialect
{
    protected LisDialect Inner => inner;

    public override string Name => inner.Name;

    public override IReadOnlyList<Migration> Migrations => inner.Migrations;

    public override string CreateVersionTableSql => inner.CreateVersionTableSql;

    public override string VersionTable => inner.VersionTable;

    public override string VersionTableExistsSql => inner.VersionTableExistsSql;

    public override string InsertVersionSql => inner.InsertVersionSql;

    public override string UpsertRunSql => inner.UpsertRunSql;

    public override string UpsertResultSql => inner.UpsertResultSql;

    public override string InsertHistorySql => inner.InsertHistorySql;

    public override string ProbeSql => inner.ProbeSql;

    public override int PreviousResultsKeysPerCommand => inner.PreviousResultsKeysPerCommand;

    public override DbCommand CreatePreviousResultsCommand(DbConnection connection, IReadOnlyList<(string PatientId, string Analyte)> keys, string? beforeUtc) =>
        inner.CreatePreviousResultsCommand(connection, keys, beforeUtc);

    public override DbConnection CreateConnection(string connectionString) => inner.CreateConnection(connectionString);

    public override Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => inner.PrepareAsync(connection, cancellationToken);

    public override Task<IAsyncDisposable?> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        inner.AcquireMigrationLockAsync(connection, cancellationToken);

    public override Task<string> WriteBatchAsync(DbConnection connection, DbTransaction transaction, LisBatch batch, CancellationToken cancellationToken) =>
        inner.WriteBatchAsync(connection, transaction, batch, cancellationToken);

    protected override bool IsTransientError(Exception exception) => inner.IsTransient(exception);
}

/// <summary>A dialect that knows only the schema scripts up to <paramref name="version"/>: a database as an older MirtLab left it.</summary>
public sealed class OlderSchemaDialect(LisDialect inner, int version) : DelegatingDialect(inner)
{
    public override IReadOnlyList<Migration> Migrations => [.. Inner.Migrations.Where(m => m.Version <= version)];
}
