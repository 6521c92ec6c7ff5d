using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;

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

    /// <summary>Brings the schema up to date; returns the versions applied now.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="migrations">All scripts, in order.</param>
    /// <param name="versionTable">Name of the version table.</param>
    /// <param name="createVersionTableSql">Dialect DDL creating the version table if it does not exist.</param>
    /// <param name="nowUtc">The time recorded for applied scripts.</param>
    /// <param name="cancellationToken">Stops between statements.</param>
    public static async Task<IReadOnlyList<int>> MigrateAsync(
        DbConnection connection,
        IReadOnlyList<Migration> migrations,
        string versionTable,
        string createVersionTableSql,
        DateTimeOffset nowUtc,
        CancellationToken cancellationToken = default)
    {
        await connection.ExecuteAsync(new CommandDefinition(createVersionTableSql, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition($"SELECT version FROM {versionTable}", cancellationToken: cancellationToken))).ToHashSet();
        var done = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {versionTable} (version, description, applied_utc) VALUES (@Version, @Description, @AppliedUtc)",
                new { migration.Version, migration.Description, AppliedUtc = nowUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            done.Add(migration.Version);
        }

        return done;
    }
}
