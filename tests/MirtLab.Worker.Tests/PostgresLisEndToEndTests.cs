using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Testing;
using Npgsql;

namespace MirtLab.Worker.Tests;

/// <summary>The LIS tables fill the same on SQLite and on a real PostgreSQL, through the whole service.</summary>
public sealed class PostgresLisEndToEndTests
{
    private const string Columns = "result_key, run_key, revision, sample_name, analyte_code, loinc, unit, qualifier, display_value, flags, reference_range, status, raw_value, raw_unit, source_line, instrument_time_local";

    [Fact]
    public async Task SameExport_FillsTheLisTablesTheSameOnSqliteAndPostgreSql()
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        var connectionString = await postgres.CreateDatabaseAsync();

        using var onPostgres = new TestConfig(j =>
        {
            j["Lis"]!["Provider"] = "PostgreSql";
            j["Lis"]!["ConnectionString"] = connectionString;
        });
        await using (var host = await RunningHost.StartAsync(onPostgres))
        {
            File.Copy(Fixtures.MirtazapinePlate, Path.Combine(onPostgres.Inbox(), "plate.txt"));
            await Fixtures.WaitUntilAsync(() => PostgresCount(connectionString) == Fixtures.PlatePatientResults, "results in PostgreSQL");
        }

        using var onSqlite = new TestConfig();
        await using (var host = await RunningHost.StartAsync(onSqlite))
        {
            File.Copy(Fixtures.MirtazapinePlate, Path.Combine(onSqlite.Inbox(), "plate.txt"));
            await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(onSqlite, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "results in SQLite");
        }

        await using var pg = new NpgsqlConnection(connectionString);
        var fromPostgres = (await pg.QueryAsync($"SELECT {Columns}, value::text AS value FROM mirtlab_results ORDER BY result_key")).Select(Row).ToList();
        await using var lite = new SqliteConnection($"Data Source={onSqlite.LisDatabase};Mode=ReadOnly");
        var fromSqlite = (await lite.QueryAsync($"SELECT {Columns}, value FROM mirtlab_results ORDER BY result_key")).Select(Row).ToList();

        Assert.Equal(Fixtures.PlatePatientResults, fromPostgres.Count);
        Assert.Equal(fromSqlite, fromPostgres);
    }

    private static string Row(dynamic row)
    {
        var values = (IDictionary<string, object?>)row;
        return string.Join("|", values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key == "value" && kv.Value is not null
            ? decimal.Parse(Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)!, System.Globalization.CultureInfo.InvariantCulture).ToString("0.############", System.Globalization.CultureInfo.InvariantCulture)
            : Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static long PostgresCount(string connectionString)
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirtlab_results");
        }
        catch (PostgresException)
        {
            return -1;
        }
    }
}
