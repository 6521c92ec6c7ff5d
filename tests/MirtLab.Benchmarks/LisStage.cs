using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using MirtLab.Lis;
using MirtLab.Lis.Dialects;
using MirtLab.Testing;
using Npgsql;
using NpgsqlTypes;

namespace MirtLab.Benchmarks;

/// <summary>The rows MirtLab committed to the LIS for one file: the run, the results and their history rows.</summary>
internal sealed record LisContent(object?[] Run, IReadOnlyList<object?[]> Results, IReadOnlyList<object?[]> History, string[] ResultTypes, string[] HistoryTypes)
{
    public int Rows => Results.Count;
}

/// <summary>
/// Stages 2 and 3. MirtLab from a claimed file to committed LIS rows (read, evaluate, store transaction, outbox,
/// LIS delivery) against the fastest plain write of the same rows into the same tables in one transaction:
/// prepared INSERTs on SQLite (WAL, synchronous=FULL as MirtLab's), binary COPY on PostgreSQL.
/// </summary>
internal static class LisStage
{
    private static readonly string[] RunColumns = ["run_key", "instrument", "format", "source_file", "file_sha256", "outcome", "acquired_local", "acquired_utc", "config_version", "patient_results", "held_results", "updated_utc"];

    private static readonly string[] ResultColumns =
    [
        "result_key", "run_key", "revision", "instrument", "sample_name", "sample_id", "analyte_code", "analyte_name", "loinc",
        "value", "unit", "qualifier", "limit_value", "display_value", "flags", "reference_range", "status", "hold_reasons",
        "raw_value", "raw_unit", "source_file", "source_line", "instrument_time_local", "instrument_time_utc",
        "config_version", "document_json", "updated_utc", "patient_id", "dose_mg_per_day", "comments", "derived_from",
    ];

    private static readonly string[] HistoryColumns = ["result_key", "revision", "status", "display_value", "flags", "document_json", "recorded_utc"];

    public static async Task<Comparison> SqliteAsync(GeneratedExport export, int runs, Action<string> log)
    {
        log($"LIS SQLite: {export.Label}");
        LisContent? content = null;
        async Task<Sample> MirtLab()
        {
            await using var pipeline = await Pipeline.CreateAsync();
            pipeline.Claim(export);
            var stopwatch = Stopwatch.StartNew();
            await pipeline.IngestAsync();
            await pipeline.DeliverAsync("lis");
            stopwatch.Stop();
            await using var connection = new SqliteConnection(pipeline.Settings.LisConnectionString);
            await connection.OpenAsync();
            content ??= await ReadAsync(connection);
            var count = await CountAsync(connection);
            if (count == 0 || count != content.Rows)
            {
                throw new InvalidOperationException($"the LIS holds {count} results, expected {content.Rows}");
            }

            return new Sample(stopwatch.Elapsed, count);
        }

        async Task<Sample> Raw()
        {
            using var folder = new TempFolder("mirtlab-bench-raw");
            var connectionString = $"Data Source={folder.Combine("lis.db")}";
            await new LisWriter(new SqliteLisDialect(), connectionString, TimeProvider.System).MigrateAsync();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
                await pragma.ExecuteNonQueryAsync();
            }

            var rows = content!;
            var stopwatch = Stopwatch.StartNew();
            await using (var transaction = connection.BeginTransaction())
            {
                Insert(connection, transaction, "mirtlab_runs", RunColumns, [rows.Run]);
                Insert(connection, transaction, "mirtlab_results", ResultColumns, rows.Results);
                Insert(connection, transaction, "mirtlab_result_history", HistoryColumns, rows.History);
                transaction.Commit();
            }

            stopwatch.Stop();
            SqliteConnection.ClearPool(connection);
            return new Sample(stopwatch.Elapsed, rows.Rows);
        }

        // The first MirtLab run (the warm-up) captures the rows the raw insert then writes.
        var (mirtlab, ceiling) = await Harness.InterleaveAsync(runs, MirtLab, Raw, log);
        return new Comparison("2. LIS SQLite", export.Label, "LIS rows", content!.Rows, new FileInfo(export.Path).Length, mirtlab, ceiling,
            "file → committed LIS rows", "prepared INSERTs, one transaction (WAL)", 0.9);
    }

    public static async Task<Comparison> PostgresAsync(GeneratedExport export, int runs, PostgresServer server, Action<string> log)
    {
        log($"LIS PostgreSQL: {export.Label}");
        LisContent? content = null;
        async Task<Sample> MirtLab()
        {
            var connectionString = await server.CreateDatabaseAsync();
            await using var pipeline = await Pipeline.CreateAsync(json =>
            {
                json["Lis"]!["Provider"] = "PostgreSql";
                json["Lis"]!["ConnectionString"] = connectionString;
            });
            pipeline.Claim(export);
            var stopwatch = Stopwatch.StartNew();
            await pipeline.IngestAsync();
            await pipeline.DeliverAsync("lis");
            stopwatch.Stop();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            content ??= await ReadAsync(connection);
            var count = await CountAsync(connection);
            if (count == 0 || count != content.Rows)
            {
                throw new InvalidOperationException($"the LIS holds {count} results, expected {content.Rows}");
            }

            return new Sample(stopwatch.Elapsed, count);
        }

        async Task<Sample> Copy()
        {
            var connectionString = await server.CreateDatabaseAsync();
            await new LisWriter(new PostgreSqlLisDialect(), connectionString, TimeProvider.System).MigrateAsync();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var rows = content!;
            var stopwatch = Stopwatch.StartNew();
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await CopyAsync(connection, "mirtlab_runs", RunColumns, RunTypes, [rows.Run]);
                await CopyAsync(connection, "mirtlab_results", ResultColumns, rows.ResultTypes, rows.Results);
                await CopyAsync(connection, "mirtlab_result_history", HistoryColumns, rows.HistoryTypes, rows.History);
                await transaction.CommitAsync();
            }

            stopwatch.Stop();
            return new Sample(stopwatch.Elapsed, rows.Rows);
        }

        var (mirtlab, ceiling) = await Harness.InterleaveAsync(runs, MirtLab, Copy, log);
        return new Comparison("3. LIS PostgreSQL", export.Label, "LIS rows", content!.Rows, new FileInfo(export.Path).Length, mirtlab, ceiling,
            "file → committed LIS rows", "Npgsql binary COPY, one transaction", 0.6);
    }

    private static readonly string[] RunTypes = ["text", "text", "text", "text", "text", "text", "text", "timestamptz", "text", "integer", "integer", "timestamptz"];

    private static async Task<long> CountAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM mirtlab_results";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<LisContent> ReadAsync(DbConnection connection)
    {
        var (run, _) = await ReadTableAsync(connection, "mirtlab_runs", RunColumns);
        var (results, resultTypes) = await ReadTableAsync(connection, "mirtlab_results", ResultColumns);
        var (history, historyTypes) = await ReadTableAsync(connection, "mirtlab_result_history", HistoryColumns);
        return new LisContent(run.Single(), results, history, resultTypes, historyTypes);
    }

    private static async Task<(List<object?[]> Rows, string[] Types)> ReadTableAsync(DbConnection connection, string table, string[] columns)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var types = Enumerable.Range(0, columns.Length).Select(reader.GetDataTypeName).ToArray();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var values = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(values);
        }

        return (rows, types);
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns, IReadOnlyList<object?[]> rows)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null))).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, string[] columns, string[] types, IReadOnlyList<object?[]> rows)
    {
        var dbTypes = types.Select(t => t switch
        {
            "integer" or "int4" => NpgsqlDbType.Integer,
            "numeric" => NpgsqlDbType.Numeric,
            "timestamp with time zone" or "timestamptz" => NpgsqlDbType.TimestampTz,
            _ => NpgsqlDbType.Text,
        }).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(row[i], dbTypes[i]);
                }
            }
        }

        await importer.CompleteAsync();
    }
}
