using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;
using MirtLab.Lis.Dialects;

namespace MirtLab.Lis.Schema;

/// <summary>One schema script: its version (from the file name <c>NNN_description.sql</c>) and text.</summary>
public sealed record Migration(int Version, string Description, string Sql);

/// <summary>
/// Applies versioned schema scripts in order, each in its own transaction, and records them in a version
/// table; a script already recorded is never run again. DbUp and FluentMigrator are absent here.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Loads the embedded scripts whose resource names start with <paramref name="prefix"/>, ordered by version.</summary>
    public static IReadOnlyList<Migration> LoadEmbedded(Assembly assembly, string prefix)
    {
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                var underscore = file.IndexOf('_', StringComparison.Ordinal);
                var version = int.Parse(file[..underscore].TrimStart('_'), NumberStyles.None, CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new Migration(version, file[(underscore + 1)..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Brings a schema up to date; returns the versions applied now.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="migrations">All scripts, in order.</param>
    /// <param name="versionTable">Name of the version table.</param>
    /// <param name="createVersionTableSql">Dialect DDL creating the version table if it does not exist.</param>
    /// <param name="nowUtc">The time recorded for applied scripts.</param>
    /// <param name="cancellationToken">Stops between statements.</param>
    public static Task<IReadOnlyList<int>> MigrateAsync(
        DbConnection connection,
        IReadOnlyList<Migration> migrations,
        string versionTable,
        string createVersionTableSql,
        DateTimeOffset nowUtc,
        CancellationToken cancellationToken = default) =>
        ApplyAsync(
            connection,
            migrations,
            versionTable,
            createVersionTableSql,
            $"INSERT INTO {versionTable} (version, description, applied_utc) VALUES (@Version, @Description, @AppliedUtc)",
            nowUtc,
            cancellationToken);

    /// <summary>
    /// Brings the LIS schema up to date; returns the versions applied now. When the schema is already current it
    /// only reads the version table, so a runtime account without DDL rights can call it at every start. Nodes
    /// starting together queue on the dialect's migration lock and each script runs once.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="dialect">The engine: version table, scripts, migration lock.</param>
    /// <param name="nowUtc">The time recorded for applied scripts.</param>
    /// <param name="cancellationToken">Stops between statements.</param>
    public static async Task<IReadOnlyList<int>> MigrateAsync(
        DbConnection connection,
        LisDialect dialect,
        DateTimeOffset nowUtc,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        if (await IsCurrentAsync(connection, dialect, cancellationToken))
        {
            return [];
        }

        var migrationLock = await dialect.AcquireMigrationLockAsync(connection, cancellationToken);
        try
        {
            return await ApplyAsync(connection, dialect.Migrations, dialect.VersionTable, dialect.CreateVersionTableSql, dialect.InsertVersionSql, nowUtc, cancellationToken);
        }
        finally
        {
            if (migrationLock is not null)
            {
                await migrationLock.DisposeAsync();
            }
        }
    }

    private static async Task<IReadOnlyList<int>> ApplyAsync(
        DbConnection connection,
        IReadOnlyList<Migration> migrations,
        string versionTable,
        string createVersionTableSql,
        string insertVersionSql,
        DateTimeOffset nowUtc,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(createVersionTableSql, cancellationToken: cancellationToken));
        var done = new List<int>();
        foreach (var migration in migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            // Read inside the transaction (under the lock): another node may have applied it meanwhile.
            var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM {versionTable} WHERE version = @Version", new { migration.Version }, transaction, cancellationToken: cancellationToken));
            if (applied > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                insertVersionSql,
                new { migration.Version, migration.Description, AppliedUtc = nowUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            done.Add(migration.Version);
        }

        return done;
    }

    private static async Task<bool> IsCurrentAsync(DbConnection connection, LisDialect dialect, CancellationToken cancellationToken)
    {
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(dialect.VersionTableExistsSql, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        var applied = (await connection.QueryAsync<int>(new CommandDefinition($"SELECT version FROM {dialect.VersionTable}", cancellationToken: cancellationToken))).ToHashSet();
        return dialect.Migrations.All(m => applied.Contains(m.Version));
    }
}
