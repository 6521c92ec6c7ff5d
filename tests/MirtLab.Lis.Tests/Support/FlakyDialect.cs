using System.Data.Common;
using MirtLab.Lis.Dialects;
using MirtLab.Lis.Schema;

namespace MirtLab.Lis.Tests.Support;

/// <summary>
/// A real dialect whose first connections go to a place where no database answers (a closed port, a missing
/// folder): the failures are the driver's own, not a mock of the delivery path. Counts connections opened.
/// </summary>
public sealed class FlakyDialect(LisDialect inner, string unreachableConnectionString, int failures) : LisDialect
{
    private int _failuresLeft = failures;
    private int _connections;

    /// <summary>Connections created so far, failed ones included.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>From now on every connection reaches the database.</summary>
    public void Heal() => Volatile.Write(ref _failuresLeft, 0);

    /// <summary>From now on every connection fails.</summary>
    public void Break() => Volatile.Write(ref _failuresLeft, int.MaxValue);

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

    public override DbConnection CreateConnection(string connectionString)
    {
        Interlocked.Increment(ref _connections);
        var fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
        if (!fail)
        {
            Interlocked.Increment(ref _failuresLeft);
        }

        return inner.CreateConnection(fail ? unreachableConnectionString : connectionString);
    }

    public override Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => inner.PrepareAsync(connection, cancellationToken);

    public override Task<IAsyncDisposable?> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        inner.AcquireMigrationLockAsync(connection, cancellationToken);

    public override Task<string> WriteBatchAsync(DbConnection connection, DbTransaction transaction, LisBatch batch, CancellationToken cancellationToken) =>
        inner.WriteBatchAsync(connection, transaction, batch, cancellationToken);

    protected override bool IsTransientError(Exception exception) => inner.IsTransient(exception);
}
