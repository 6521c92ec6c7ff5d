using System.Data.Common;
using Dapper;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Lis.Tests;

/// <summary>
/// What every LIS dialect must do, written once: each provider's test class supplies a fresh database.
/// The LIS tables must fill the same whatever the engine.
/// </summary>
public abstract class LisWriterContract
{
    protected abstract LisWriter CreateWriter();

    protected abstract DbConnection OpenConnection();

    [Fact]
    public async Task Migrate_CreatesTheSchemaOnce_AndRecordsItsVersion()
    {
        var writer = CreateWriter();
        var first = await writer.MigrateAsync();
        var second = await writer.MigrateAsync();
        Assert.Equal([1], first.Take(1));
        Assert.Empty(second);
        await using var connection = OpenConnection();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_schema_version") >= 1);
    }

    [Fact]
    public async Task Batch_IsWrittenWithEveryColumnTheLisReads()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(Batch(revision: 1));

        await using var connection = OpenConnection();
        var row = await connection.QuerySingleAsync(
            "SELECT result_key, run_key, revision, sample_name, analyte_code, loinc, value, unit, qualifier, limit_value, display_value, flags, reference_range, status, raw_value, raw_unit, source_file, source_line, instrument_time_local, instrument_time_utc FROM mirtlab_results WHERE sample_name = 'P-240124 trough'");
        Assert.Equal(171.0m, Convert.ToDecimal(row.value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ng/mL", (string)row.unit);
        Assert.Equal("HH", (string)row.flags);
        Assert.Equal("P", (string)row.status);
        Assert.Equal("17283-3", (string)row.loinc);
        Assert.Equal("171.", (string)row.raw_value);
        Assert.Equal(75L, Convert.ToInt64(row.source_line, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2026-11-21T09:39:09", (string)row.instrument_time_local);
        var below = await connection.QuerySingleAsync("SELECT value, qualifier, limit_value, display_value, flags FROM mirtlab_results WHERE sample_name = 'P-240126 trough'");
        Assert.Null(below.value);
        Assert.Equal("<", (string)below.qualifier);
        Assert.Equal("<1.0", (string)below.display_value);
        Assert.Equal("<~L", (string)below.flags);
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_runs"));
    }

    [Fact]
    public async Task SameBatchTwice_InsertsNothingTwice()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(Batch(revision: 1));
        await writer.WriteAsync(Batch(revision: 1));
        await using var connection = OpenConnection();
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_results"));
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_result_history"));
    }

    [Fact]
    public async Task NewerRevision_ReplacesTheResult_AndHistoryKeepsBoth_OlderNeverWinsBack()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(Batch(revision: 1));
        await writer.WriteAsync(Batch(revision: 2, status: "final"));
        await writer.WriteAsync(Batch(revision: 1));

        await using var connection = OpenConnection();
        var statuses = (await connection.QueryAsync<string>("SELECT DISTINCT status FROM mirtlab_results")).ToList();
        Assert.Equal(["F"], statuses);
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_results WHERE revision = 2"));
        Assert.Equal(6L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_result_history"));
    }

    [Fact]
    public async Task Probe_WritesTheHealthRow()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.ProbeAsync("node-a");
        await writer.ProbeAsync("node-b");
        await using var connection = OpenConnection();
        Assert.Equal("node-b", await connection.ExecuteScalarAsync<string>("SELECT node FROM mirtlab_health"));
    }

    /// <summary>Three patient results of one run: an alert value, a value below the LLOQ, a normal one.</summary>
    protected static LisBatch Batch(int revision, string status = "preliminary")
    {
        var run = new RunDocument
        {
            RunKey = "0123456789abcdef0123",
            Instrument = "tq5500",
            Format = "sciex-analyst-results",
            Source = "plate.txt",
            Sha256 = new string('0', 64),
            Outcome = "accepted",
            AcquiredLocal = "2026-11-21T08:21:07",
            AcquiredUtc = new DateTimeOffset(2026, 11, 21, 7, 21, 7, TimeSpan.Zero),
            ConfigVersion = "2026-11-21.1+abcdef012345",
            PatientResultCount = 3,
            HeldCount = 2,
        };
        return LisRows.ToBatch(run, [
            Result("aa", "P-240124 trough", 171.0m, null, null, "171.", ["HH"], 75, revision, status),
            Result("bb", "P-240126 trough", null, "<", 1.0m, "0.62", ["<", "L"], 79, revision, status),
            Result("cc", "P-240117 trough", 46.3m, null, null, "46.3", [], 61, revision, status),
        ], new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
    }

    private static ResultDocument Result(string key, string sample, decimal? value, string? qualifier, decimal? limit, string raw, string[] flags, int line, int revision, string status) => new()
    {
        ResultKey = key.PadRight(32, '0'),
        RunKey = "0123456789abcdef0123",
        Revision = revision,
        Instrument = "tq5500",
        Source = "plate.txt",
        SampleName = sample,
        SampleType = "unknown",
        Analyte = "mirtazapine",
        AnalyteName = "Mirtazapine",
        Loinc = "17283-3",
        RawAnalyte = "Mirtazapine",
        Value = value,
        Unit = "ng/mL",
        Qualifier = qualifier,
        Limit = limit,
        Display = qualifier is null ? value!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "<1.0",
        Flags = flags,
        Status = status,
        Raw = new RawDocument(raw, "ng/mL", line, null, null),
        Acquired = new AcquiredDocument("2026-11-21T09:39:09", new DateTimeOffset(2026, 11, 21, 8, 39, 9, TimeSpan.Zero)),
        ConfigVersion = "2026-11-21.1+abcdef012345",
    };
}
