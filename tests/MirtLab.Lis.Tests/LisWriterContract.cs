using System.Data.Common;
using System.Globalization;
using Dapper;
using MirtLab.Lis.Dialects;
using MirtLab.Lis.Tests.Support;
using static MirtLab.Lis.Tests.Support.TestBatches;

namespace MirtLab.Lis.Tests;

/// <summary>
/// What every LIS dialect must do, written once: each provider's test class supplies a fresh database.
/// The LIS tables must fill the same whatever the engine.
/// </summary>
public abstract partial class LisWriterContract
{
    /// <summary>A fresh dialect as the provider's tests configure it.</summary>
    protected abstract LisDialect CreateDialect();

    /// <summary>The test's own, empty database.</summary>
    protected abstract string ConnectionString { get; }

    /// <summary>A connection string that reaches no database (a closed port, a missing folder).</summary>
    protected abstract string UnreachableConnectionString { get; }

    protected abstract DbConnection OpenConnection();

    protected LisWriter CreateWriter(LisWriterOptions? options = null, LisDialect? dialect = null, TimeProvider? time = null) =>
        new(dialect ?? CreateDialect(), ConnectionString, time ?? TimeProvider.System, options);

    protected async Task<long> CountAsync(string sql)
    {
        await using var connection = OpenConnection();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task Migrate_CreatesTheSchemaOnce_AndRecordsItsVersion()
    {
        var writer = CreateWriter();
        var first = await writer.MigrateAsync();
        var second = await writer.MigrateAsync();
        Assert.Equal(CreateDialect().Migrations.Select(m => m.Version), first);
        Assert.Equal([1, 2, 3], first);
        Assert.Empty(second);
        await using var connection = OpenConnection();
        Assert.Equal([1, 2, 3], await connection.QueryAsync<int>("SELECT version FROM mirtlab_schema_version ORDER BY version"));
    }

    [Fact]
    public async Task Migrate_ADatabaseOfVersion1WithRows_AddsTheColumns_KeepsTheRows_AndWritesAndLooksUpAfterwards()
    {
        var dialect = CreateDialect();
        Assert.Equal([1], await new LisWriter(new OlderSchemaDialect(dialect, 1), ConnectionString, TimeProvider.System).MigrateAsync());
        var batch = Batch(revision: 1);
        await using (var connection = OpenConnection())
        {
            // A row as version 1 of MirtLab wrote it: none of the columns of version 2 exist yet.
            await connection.ExecuteAsync(dialect.UpsertRunSql, batch.Run);
            await connection.ExecuteAsync(
                """
                INSERT INTO mirtlab_results (result_key, run_key, revision, instrument, sample_name, analyte_code, value, unit, display_value,
                                             flags, status, raw_value, source_file, source_line, config_version, document_json, updated_utc)
                VALUES (@ResultKey, @RunKey, 1, 'tq5500', 'P-240124 trough', 'mirtazapine', @Value, 'ng/mL', '150.0',
                        '', 'F', '150.', 'plate.txt', 75, '2026-11-20.1', '{}', CURRENT_TIMESTAMP)
                """,
                new { batch.Results[0].ResultKey, batch.Run.RunKey, Value = 150.0m });
        }

        var writer = CreateWriter();
        Assert.Equal([2, 3], await writer.MigrateAsync());
        await using (var connection = OpenConnection())
        {
            var old = await connection.QuerySingleAsync("SELECT value, status, patient_id, dose_mg_per_day, comments, derived_from FROM mirtlab_results");
            Assert.Equal(150m, Convert.ToDecimal(old.value, CultureInfo.InvariantCulture));
            Assert.Equal("F", (string)old.status);
            Assert.Null(old.patient_id);
            Assert.Null(old.dose_mg_per_day);
            Assert.Null(old.comments);
            Assert.Null(old.derived_from);
        }

        // Before a newer revision carries it, a version 1 row has no patient: it is no reference yet.
        Assert.Empty(await writer.PreviousResultsAsync([("P-240124", "mirtazapine")], null));
        await writer.WriteAsync(Batch(revision: 2, status: "final"));
        var found = Assert.Single(await writer.PreviousResultsAsync([("P-240124", "mirtazapine")], null));
        Assert.Equal(171m, found.Value.Value);
        Assert.Equal(batch.Results[0].ResultKey, found.Value.ResultKey);
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
    public async Task Batch_IsWrittenWithPatientDoseCommentsAndDerivedFrom()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(Batch(revision: 1));

        await using var connection = OpenConnection();
        var alert = await NewColumnsAsync(connection, "sample_name = 'P-240124 trough'");
        Assert.Equal(
            ("P-240124", 30m, "Trough above the therapeutic range: check adherence, sampling time and interacting drugs. | Level high for the dose.", null),
            alert);
        Assert.Equal(("P-240126", 7.5m, null, null), await NewColumnsAsync(connection, "sample_name = 'P-240126 trough'"));
        Assert.Equal((null, null, null, null), await NewColumnsAsync(connection, "sample_name = 'P-240117 trough'"));

        await writer.WriteAsync(DerivedBatch());
        var derived = DerivedBatch().Results;
        var ratio = await NewColumnsAsync(connection, "analyte_code = 'mirtazapine-metabolic-ratio'");
        Assert.Equal(("P-240130", 30m, null, $"{derived[1].ResultKey},{derived[0].ResultKey}"), ratio);
        Assert.Equal(("P-240130", 30m, null, derived[0].ResultKey), await NewColumnsAsync(connection, "analyte_code = 'mirtazapine-cd-ratio'"));
        Assert.Equal("ng/mL/(mg/d)", await connection.ExecuteScalarAsync<string>("SELECT unit FROM mirtlab_results WHERE analyte_code = 'mirtazapine-cd-ratio'"));
        Assert.Equal(("P-240130", 30m, null, null), await NewColumnsAsync(connection, "analyte_code = 'mirtazapine' AND sample_name = 'P-240130 trough'"));
    }

    [Fact]
    public async Task NewerRevision_ReplacesPatientDoseCommentsAndDerivedFrom_OlderNeverWinsBack()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        var first = Batch(revision: 1);
        var corrected = first with
        {
            Results = [.. Batch(revision: 2, status: "corrected").Results.Select((r, i) => r with
            {
                PatientId = i == 2 ? "P-240117" : null,
                DoseMgPerDay = i == 2 ? 45.25m : null,
                Comments = i == 2 ? "Corrected: sample relabelled." : null,
                DerivedFrom = i == 2 ? "k1,k2" : null,
            })],
        };
        await writer.WriteAsync(first);
        await writer.WriteAsync(corrected);
        await writer.WriteAsync(first);

        await using var connection = OpenConnection();
        Assert.Equal(("P-240117", 45.25m, "Corrected: sample relabelled.", "k1,k2"), await NewColumnsAsync(connection, "sample_name = 'P-240117 trough'"));
        Assert.Equal((null, null, null, null), await NewColumnsAsync(connection, "sample_name = 'P-240124 trough'"));
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_results WHERE revision = 2 AND status = 'C'"));
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

    [Fact]
    public async Task Migrate_FromTwoNodesAtOnce_AppliesEachScriptOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => CreateWriter().MigrateAsync())));
        Assert.Equal([1, 2, 3], results.SelectMany(r => r).Order());
        Assert.Equal(CreateDialect().Migrations.Count, await CountAsync("SELECT COUNT(*) FROM mirtlab_schema_version"));
    }

    [Fact]
    public async Task LargeBatch_10000Results_IsWrittenWhole()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        var batch = LargeBatch(10_000, revision: 1);
        await writer.WriteAsync(batch);
        await writer.WriteAsync(batch);

        Assert.Equal(10_000L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results"));
        Assert.Equal(10_000L, await CountAsync("SELECT COUNT(*) FROM mirtlab_result_history"));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM mirtlab_runs"));
        await using var connection = OpenConnection();
        var last = await connection.QuerySingleAsync("SELECT value, display_value, source_line FROM mirtlab_results WHERE result_key = @Key", new { Key = batch.Results[^1].ResultKey });
        Assert.Equal(batch.Results[^1].Value, Convert.ToDecimal(last.value, CultureInfo.InvariantCulture));
        Assert.Equal(batch.Results[^1].DisplayValue, (string)last.display_value);
        Assert.Equal(
            batch.Results.Select(r => Line(r.ResultKey, r.PatientId, r.DoseMgPerDay, r.Comments, r.DerivedFrom)),
            (await AllNewColumnsAsync(connection)).Select(r => Line(r.Key, r.PatientId, r.Dose, r.Comments, r.DerivedFrom)));
        Assert.Contains(batch.Results, r => r.DerivedFrom is not null);
        Assert.Contains(batch.Results, r => r.Comments is not null);
    }

    [Fact]
    public async Task LargeBatch_WithABadRowHalfway_LeavesNothingOfTheBatch_AndIsNotRetried()
    {
        await CreateWriter().MigrateAsync();
        await CreateWriter().WriteAsync(Batch(revision: 1));
        var good = LargeBatch(10_000, revision: 1);
        var rows = good.Results.ToList();
        rows[5_000] = rows[5_000] with { Status = "X" };
        var bad = good with { Results = rows };

        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: 0);
        var writer = CreateWriter(new LisWriterOptions { MaxAttempts = 3 }, dialect);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(bad));

        Assert.False(writer.Dialect.IsTransient(error), $"a constraint violation is permanent: {error}");
        Assert.Equal(1, dialect.Connections);
        Assert.Equal(3L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results"));
        Assert.Equal(3L, await CountAsync("SELECT COUNT(*) FROM mirtlab_result_history"));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM mirtlab_runs"));
    }

    [Fact]
    public async Task ConcurrentWritersOfTheSameBatch_WriteEveryRowOnce_AndTheNewestRevisionWins()
    {
        await CreateWriter().MigrateAsync();
        var large = LargeBatch(2_000, revision: 1);
        var small = Batch(revision: 1);
        var writers = Enumerable.Range(0, 4).Select(_ => CreateWriter()).ToList();
        await Task.WhenAll(writers.SelectMany(w => new[] { Task.Run(() => w.WriteAsync(large)), Task.Run(() => w.WriteAsync(small)) }));

        Assert.Equal(2_003L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results"));
        Assert.Equal(2_003L, await CountAsync("SELECT COUNT(*) FROM mirtlab_result_history"));
        Assert.Equal(2L, await CountAsync("SELECT COUNT(*) FROM mirtlab_runs"));

        var corrected = LargeBatch(2_000, revision: 2, status: "corrected");
        await Task.WhenAll(writers.Select((w, i) => Task.Run(() => w.WriteAsync(i % 2 == 0 ? corrected : large))));
        Assert.Equal(2_000L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results WHERE revision = 2 AND status = 'C'"));
        Assert.Equal(4_003L, await CountAsync("SELECT COUNT(*) FROM mirtlab_result_history"));

        // The corrected revision's doses (one more than revision 1's) replaced the first ones on every path.
        await using var connection = OpenConnection();
        var stored = (await AllNewColumnsAsync(connection)).Where(r => r.Key != small.Results[0].ResultKey && r.Key != small.Results[1].ResultKey && r.Key != small.Results[2].ResultKey);
        Assert.Equal(
            corrected.Results.Select(r => Line(r.ResultKey, r.PatientId, r.DoseMgPerDay, r.Comments, r.DerivedFrom)),
            stored.Select(r => Line(r.Key, r.PatientId, r.Dose, r.Comments, r.DerivedFrom)));
    }

    [Fact]
    public async Task TransientConnectionFailures_AreRetried_ThenTheBatchIsDelivered()
    {
        await CreateWriter().MigrateAsync();
        var time = new ManualTimeProvider(Start);
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: 2);
        var writer = CreateWriter(new LisWriterOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromHours(1) }, dialect, time);

        await time.AdvanceUntilCompletedAsync(writer.WriteAsync(Batch(revision: 1)), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        Assert.Equal(3, dialect.Connections);
        Assert.Equal(3L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results"));
    }

    [Fact]
    public async Task TransientFailures_BeyondTheAttempts_SurfaceAsTransient_ForTheOutboxToRetryLater()
    {
        await CreateWriter().MigrateAsync();
        var time = new ManualTimeProvider(Start);
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: int.MaxValue);
        var writer = CreateWriter(new LisWriterOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromHours(1) }, dialect, time);

        var write = writer.WriteAsync(Batch(revision: 1));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => time.AdvanceUntilCompletedAsync(write, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)));

        Assert.True(writer.Dialect.IsTransient(error), $"an unreachable database is transient: {error}");
        Assert.Equal(3, dialect.Connections);
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results"));
    }

    [Fact]
    public async Task PermanentError_IsNotRetried()
    {
        await CreateWriter().MigrateAsync();
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: 0);
        var writer = CreateWriter(new LisWriterOptions { MaxAttempts = 3 }, dialect);
        var batch = Batch(revision: 1);
        var bad = batch with { Results = [batch.Results[0], batch.Results[1] with { Status = "X" }, batch.Results[2]] };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(bad));

        Assert.False(writer.Dialect.IsTransient(error), $"a constraint violation is permanent: {error}");
        Assert.Equal(1, dialect.Connections);
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results"));
    }

    [Fact]
    public async Task DatabaseDown_OpensTheCircuit_CallsThenFailFastAsTransient_UntilTheBreakIsOver()
    {
        await CreateWriter().MigrateAsync();
        var time = new ManualTimeProvider(Start);
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: int.MaxValue);
        var options = new LisWriterOptions
        {
            MaxAttempts = 3,
            AttemptTimeout = TimeSpan.FromHours(1),
            BreakerMinimumThroughput = 3,
            BreakerFailureRatio = 0.5,
            BreakDuration = TimeSpan.FromSeconds(15),
        };
        var writer = CreateWriter(options, dialect, time);

        var first = writer.WriteAsync(Batch(revision: 1));
        await Assert.ThrowsAnyAsync<Exception>(() => time.AdvanceUntilCompletedAsync(first, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)));
        Assert.Equal(3, dialect.Connections);

        var open = await Assert.ThrowsAsync<LisUnavailableException>(() => writer.WriteAsync(Batch(revision: 1)));
        Assert.True(writer.Dialect.IsTransient(open));
        Assert.NotNull(open.InnerException);
        Assert.Equal(3, dialect.Connections);

        dialect.Heal();
        time.Advance(TimeSpan.FromSeconds(16));
        await writer.WriteAsync(Batch(revision: 1));
        Assert.Equal(4, dialect.Connections);
        Assert.Equal(3L, await CountAsync("SELECT COUNT(*) FROM mirtlab_results"));
    }

    [Fact]
    public async Task Migration_UsesTheMigrationConnectionString_WhenGiven()
    {
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: 0);
        var writer = new LisWriter(dialect, UnreachableConnectionString, TimeProvider.System, new LisWriterOptions { MigrationConnectionString = ConnectionString, MaxAttempts = 1 });

        Assert.True(writer.MigratesWithSeparateAccount);
        Assert.Equal([1], (await writer.MigrateAsync()).Take(1));
        Assert.True(writer.Dialect.IsTransient(await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync(Batch(revision: 1)))));
    }

    /// <summary>The four columns of schema version 2 of the one row matching <paramref name="where"/>; numbers by value.</summary>
    private static async Task<(string? PatientId, decimal? Dose, string? Comments, string? DerivedFrom)> NewColumnsAsync(DbConnection connection, string where)
    {
        var row = await connection.QuerySingleAsync($"SELECT patient_id, dose_mg_per_day, comments, derived_from FROM mirtlab_results WHERE {where}");
        return ((string?)row.patient_id, Number((object?)row.dose_mg_per_day), (string?)row.comments, (string?)row.derived_from);
    }

    private static async Task<List<(string Key, string? PatientId, decimal? Dose, string? Comments, string? DerivedFrom)>> AllNewColumnsAsync(DbConnection connection) =>
        [.. (await connection.QueryAsync("SELECT result_key, patient_id, dose_mg_per_day, comments, derived_from FROM mirtlab_results ORDER BY result_key"))
            .Select(row => ((string)row.result_key, (string?)row.patient_id, Number((object?)row.dose_mg_per_day), (string?)row.comments, (string?)row.derived_from))];

    private static string Line(string key, string? patientId, decimal? dose, string? comments, string? derivedFrom) =>
        string.Create(CultureInfo.InvariantCulture, $"{key} {patientId ?? "NULL"} {Number(dose)?.ToString(CultureInfo.InvariantCulture) ?? "NULL"} {comments ?? "NULL"} {derivedFrom ?? "NULL"}");

    // Trailing zeros dropped: SQL Server answers decimal(19,6), SQLite a double, PostgreSQL the scale written.
    private static decimal? Number(object? value) =>
        value is null or DBNull ? null : Convert.ToDecimal(value, CultureInfo.InvariantCulture) / 1.0000000000000000000000000000m;
}
