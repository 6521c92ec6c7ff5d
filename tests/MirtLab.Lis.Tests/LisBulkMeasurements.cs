using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Lis.Dialects;
using MirtLab.Lis.Tests.Support;
using MirtLab.Testing;
using Npgsql;
using static MirtLab.Lis.Tests.Support.TestBatches;

namespace MirtLab.Lis.Tests;

/// <summary>
/// Throughput of the write paths, for choosing the COPY threshold: fresh database per run, one batch, one
/// transaction. Explicit (not part of the normal run): <c>dotnet test --filter LisBulkMeasurements -- xUnit.Explicit=only</c>.
/// </summary>
public sealed class LisBulkMeasurements(PostgresFixture postgres) : IDisposable
{
    [Fact(Explicit = true)]
    public async Task WritePaths_RowsPerSecond()
    {
        var output = TestContext.Current.TestOutputHelper!;
        (string Name, Func<int, Task<LisWriter>> Writer)[] paths =
        [
            ("SQLite rows", _ => SqliteAsync()),
            ("PostgreSQL rows (Dapper, one statement per row)", _ => PostgresAsync(new PostgreSqlLisDialect(int.MaxValue) { PerRowStatements = true })),
            ("PostgreSQL batch (one pipelined NpgsqlBatch)", _ => PostgresAsync(new PostgreSqlLisDialect(int.MaxValue))),
            ("PostgreSQL COPY + INSERT…SELECT", _ => PostgresAsync(new PostgreSqlLisDialect(1))),
        ];
        int[] sizes = Environment.GetEnvironmentVariable("MIRTLAB_TEST_MEASURE_SIZES") is { Length: > 0 } list
            ? [.. list.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))]
            : [10, 100, 1_000, 10_000, 100_000];
        var batches = sizes.ToDictionary(s => s, s => LargeBatch(s, revision: 1));
        var repeat = int.Parse(Environment.GetEnvironmentVariable("MIRTLAB_TEST_MEASURE_REPEAT") ?? "3", CultureInfo.InvariantCulture);
        var only = Environment.GetEnvironmentVariable("MIRTLAB_TEST_MEASURE_PATHS");
        foreach (var (name, create) in paths.Where(p => only is null || p.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            // Warm-up: JIT, pools, prepared statements.
            var warm = await create(100);
            await warm.MigrateAsync();
            await warm.WriteAsync(LargeBatch(100, revision: 1, runKey: "warmwarmwarmwarmwarm"));
            foreach (var size in sizes)
            {
                var inserts = new List<TimeSpan>();
                var agains = new List<TimeSpan>();
                for (var run = 0; run < repeat; run++)
                {
                    var writer = await create(size);
                    await writer.MigrateAsync();
                    var stopwatch = Stopwatch.StartNew();
                    await writer.WriteAsync(batches[size]);
                    inserts.Add(stopwatch.Elapsed);
                    stopwatch.Restart();
                    await writer.WriteAsync(batches[size]);
                    agains.Add(stopwatch.Elapsed);
                }

                var insert = Median(inserts);
                var again = Median(agains);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name,-50} {size,7} results: new {insert.TotalMilliseconds,9:0.0} ms = {size / insert.TotalSeconds,9:0} rows/s; same batch again {again.TotalMilliseconds,9:0.0} ms = {size / again.TotalSeconds,9:0} rows/s (median of {repeat})"));
            }
        }
    }

    /// <summary>
    /// The delta check's lookup against a filled table (<c>MIRTLAB_TEST_MEASURE_PATIENTS</c> patients with five results
    /// each, default 20,000): time for 500 keys per call, and PostgreSQL's plan, to see the patient index used.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task PreviousResultsLookup_Milliseconds()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var patients = int.Parse(Environment.GetEnvironmentVariable("MIRTLAB_TEST_MEASURE_PATIENTS") ?? "20000", CultureInfo.InvariantCulture);
        var now = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
        var results = Enumerable.Range(0, patients * 5).Select(i => PatientResult(
            string.Create(CultureInfo.InvariantCulture, $"m{i:D10}"),
            string.Create(CultureInfo.InvariantCulture, $"PAT{i % patients:D7}"),
            "mirtazapine",
            10m + (i % 97),
            now.AddDays(-(i / patients) * 7 - 1),
            status: i % 9 == 0 ? "preliminary" : "final")).ToList();
        var keys = Enumerable.Range(0, 500).Select(i => (string.Create(CultureInfo.InvariantCulture, $"PAT{i * (patients / 500):D7}"), "mirtazapine")).ToList();
        var postgresConnection = await postgres.CreateDatabaseAsync();
        (string Name, LisWriter Writer)[] writers =
        [
            ("SQLite", await SqliteAsync()),
            ("PostgreSQL", new LisWriter(new PostgreSqlLisDialect(), postgresConnection, TimeProvider.System, new LisWriterOptions { AttemptTimeout = TimeSpan.FromMinutes(5) })),
        ];
        foreach (var (name, writer) in writers)
        {
            await writer.MigrateAsync();
            foreach (var chunk in results.Chunk(10_000))
            {
                await writer.WriteAsync(RunOf(chunk));
            }

            await writer.PreviousResultsAsync(keys, now);
            var times = new List<TimeSpan>();
            for (var run = 0; run < 5; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                var found = await writer.PreviousResultsAsync(keys, now);
                times.Add(stopwatch.Elapsed);
                Assert.Equal(keys.Count, found.Count);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-12} {results.Count,8} rows, {keys.Count} keys: {Median(times).TotalMilliseconds,8:0.0} ms per call (median of 5)"));
        }

        await using var connection = new NpgsqlConnection(postgresConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync("ANALYZE mirtlab_results");
        await using var explain = (NpgsqlCommand)new PostgreSqlLisDialect().CreatePreviousResultsCommand(connection, keys, "2026-11-21T08:00:00.000Z");
        explain.CommandText = "EXPLAIN (ANALYZE, COSTS OFF) " + explain.CommandText;
        await using var plan = await explain.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await plan.ReadAsync(TestContext.Current.CancellationToken))
        {
            output.WriteLine(plan.GetString(0));
        }
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private readonly List<TempFolder> _folders = [];

    private Task<LisWriter> SqliteAsync()
    {
        var folder = new TempFolder("mirtlab-lis-measure");
        _folders.Add(folder);
        return Task.FromResult(new LisWriter(new SqliteLisDialect(), $"Data Source={folder.Combine("lis.db")}", TimeProvider.System));
    }

    private async Task<LisWriter> PostgresAsync(PostgreSqlLisDialect dialect) =>
        new(dialect, await postgres.CreateDatabaseAsync(), TimeProvider.System, new LisWriterOptions { AttemptTimeout = TimeSpan.FromMinutes(5) });

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }
}
