using System.Data.Common;
using MirtLab.Lis.Schema;

namespace MirtLab.Lis.Dialects;

/// <summary>
/// What differs between LIS database engines: connections, schema scripts, upsert syntax and which errors
/// are worth retrying. Everything else (Dapper, transactions, mapping) is shared.
/// </summary>
public abstract class LisDialect
{
    public abstract string Name { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    public abstract IReadOnlyList<Migration> Migrations { get; }

    public abstract string CreateVersionTableSql { get; }

    public virtual string VersionTable => "mirtlab_schema_version";

    /// <summary>Inserts or updates a run row.</summary>
    public abstract string UpsertRunSql { get; }

    /// <summary>Inserts a result, or updates it when the incoming revision is newer (never older).</summary>
    public abstract string UpsertResultSql { get; }

    /// <summary>Inserts a history row unless that (key, revision) is already there.</summary>
    public abstract string InsertHistorySql { get; }

    /// <summary>Writes the readiness row (proves the service account can write).</summary>
    public abstract string ProbeSql { get; }

    /// <summary>True for errors that may pass if retried (connection lost, server busy, deadlock).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>Prepares a fresh connection (pragmas, session settings).</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public static LisDialect For(string provider) => provider.ToUpperInvariant() switch
    {
        "SQLITE" => new SqliteLisDialect(),
        _ => throw new NotSupportedException($"LIS provider '{provider}' is not supported; use Sqlite, PostgreSql or SqlServer."),
    };
}
