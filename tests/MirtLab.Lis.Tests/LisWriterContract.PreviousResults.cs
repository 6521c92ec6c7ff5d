using System.Globalization;
using MirtLab.Core.Runs;
using MirtLab.Lis.Tests.Support;
using static MirtLab.Lis.Tests.Support.TestBatches;

namespace MirtLab.Lis.Tests;

/// <summary>The delta check's lookup of a patient's previous result, on every dialect.</summary>
public abstract partial class LisWriterContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Patient PAT-A's mirtazapine history around <see cref="Now"/>, with results that must never be the reference.</summary>
    private static LisBatch History() => RunOf(
        PatientResult("a1", "PAT-A", "mirtazapine", 30.5m, Now.AddDays(-20)),
        PatientResult("a2", "PAT-A", "mirtazapine", 42.25m, Now.AddDays(-10), status: "corrected"),
        PatientResult("a3", "PAT-A", "mirtazapine", 55.0m, Now.AddDays(-5), status: "preliminary"),
        PatientResult("a4", "PAT-A", "mirtazapine", null, Now.AddDays(-3)),
        PatientResult("a5", "PAT-A", "mirtazapine", 80m, Now),
        PatientResult("a6", "PAT-A", "mirtazapine", 99m, Now.AddDays(2)),
        PatientResult("a7", "PAT-A", "n-desmethylmirtazapine", 12.5m, Now.AddDays(-1)),
        PatientResult("b1", "PAT-B", "mirtazapine", 61.75m, Now.AddDays(-1)),
        PatientResult("c1", "pat-a", "mirtazapine", 77m, Now.AddDays(-1)),
        PatientResult("c2", "PAT-A ", "mirtazapine", 78m, Now.AddDays(-1)));

    private static string Key(string shortKey) => shortKey.PadRight(32, '0');

    [Fact]
    public async Task PreviousResults_PickTheLatestReleasedNumberBeforeTheTime_IgnoringHeldNoNumberLaterAndOtherPatients()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(History());

        var found = await writer.PreviousResultsAsync(
            [("PAT-A", "mirtazapine"), ("PAT-A", "n-desmethylmirtazapine"), ("PAT-B", "mirtazapine"), ("PAT-B", "n-desmethylmirtazapine"), ("PAT-Z", "mirtazapine")],
            Now);

        // a3 is held, a4 below the LLOQ, a5 acquired at the very instant (not before), a6 later; c1 and c2 are
        // other patients whose ids differ only in case or a trailing space.
        Assert.Equal(new PreviousResult(42.25m, Now.AddDays(-10), Key("a2")), found[("PAT-A", "mirtazapine")]);
        Assert.Equal(new PreviousResult(12.5m, Now.AddDays(-1), Key("a7")), found[("PAT-A", "n-desmethylmirtazapine")]);
        Assert.Equal(new PreviousResult(61.75m, Now.AddDays(-1), Key("b1")), found[("PAT-B", "mirtazapine")]);
        Assert.Equal(3, found.Count);
        Assert.False(found.ContainsKey(("PAT-Z", "mirtazapine")));
        Assert.False(found.ContainsKey(("PAT-B", "n-desmethylmirtazapine")));
    }

    [Fact]
    public async Task PreviousResults_WithoutATime_TakeTheLatestReleasedNumber()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(History());

        var found = await writer.PreviousResultsAsync([("PAT-A", "mirtazapine"), ("pat-a", "mirtazapine")], null);

        Assert.Equal(new PreviousResult(99m, Now.AddDays(2), Key("a6")), found[("PAT-A", "mirtazapine")]);
        Assert.Equal(new PreviousResult(77m, Now.AddDays(-1), Key("c1")), found[("pat-a", "mirtazapine")]);
        Assert.Equal(2, found.Count);
    }

    [Fact]
    public async Task PreviousResults_AResultWithoutAcquisitionTime_ComesLast_AndIsNoReferenceBeforeATime()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(RunOf(
            PatientResult("d1", "PAT-D", "mirtazapine", 10m, null),
            PatientResult("d2", "PAT-D", "mirtazapine", 20m, Now.AddDays(-30)),
            PatientResult("e1", "PAT-E", "mirtazapine", 33.3m, null)));

        var latest = await writer.PreviousResultsAsync([("PAT-D", "mirtazapine"), ("PAT-E", "mirtazapine")], null);
        Assert.Equal(new PreviousResult(20m, Now.AddDays(-30), Key("d2")), latest[("PAT-D", "mirtazapine")]);
        Assert.Equal(new PreviousResult(33.3m, null, Key("e1")), latest[("PAT-E", "mirtazapine")]);

        var before = await writer.PreviousResultsAsync([("PAT-D", "mirtazapine"), ("PAT-E", "mirtazapine")], Now);
        Assert.Equal(Key("d2"), Assert.Single(before).Value.ResultKey);
    }

    [Fact]
    public async Task PreviousResults_FollowTheCurrentRevision_ACorrectionCounts_AHeldRevisionDoesNot()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();
        await writer.WriteAsync(RunOf(
            PatientResult("f1", "PAT-F", "mirtazapine", 50m, Now.AddDays(-2)),
            PatientResult("g1", "PAT-G", "mirtazapine", 60m, Now.AddDays(-2)),
            PatientResult("g2", "PAT-G", "mirtazapine", 35m, Now.AddDays(-9))));
        await writer.WriteAsync(RunOf(
            PatientResult("f1", "PAT-F", "mirtazapine", 52.5m, Now.AddDays(-2), status: "corrected", revision: 2),
            PatientResult("g1", "PAT-G", "mirtazapine", 60m, Now.AddDays(-2), status: "preliminary", revision: 2)));

        var found = await writer.PreviousResultsAsync([("PAT-F", "mirtazapine"), ("PAT-G", "mirtazapine")], Now);

        Assert.Equal(new PreviousResult(52.5m, Now.AddDays(-2), Key("f1")), found[("PAT-F", "mirtazapine")]);
        Assert.Equal(new PreviousResult(35m, Now.AddDays(-9), Key("g2")), found[("PAT-G", "mirtazapine")]);
    }

    [Fact]
    public async Task PreviousResults_ManyKeysInOneCall_EachGetsItsOwnPatientsValue()
    {
        const int patients = 1_500;
        var writer = CreateWriter();
        await writer.MigrateAsync();
        var results = Enumerable.Range(0, patients).SelectMany(i => new[]
        {
            PatientResult(Id("h", i), Patient(i), "mirtazapine", 10m + (i / 1000m), Now.AddDays(-1 - (i % 30))),
            PatientResult(Id("i", i), Patient(i), "mirtazapine", 500m + i, Now.AddDays(1)),
        }).ToArray();
        await writer.WriteAsync(RunOf(results));

        // Duplicates and unknown patients mixed in; the 1,500 known ones exceed SQL Server's 1000 keys per command.
        var keys = Enumerable.Range(0, patients + 100).Select(i => (Patient(i), "mirtazapine")).Concat([(Patient(7), "mirtazapine")]).ToList();
        var found = await writer.PreviousResultsAsync(keys, Now);

        Assert.Equal(patients, found.Count);
        for (var i = 0; i < patients; i++)
        {
            Assert.Equal(new PreviousResult(10m + (i / 1000m), Now.AddDays(-1 - (i % 30)), Key(Id("h", i))), found[(Patient(i), "mirtazapine")]);
        }

        static string Patient(int i) => string.Create(CultureInfo.InvariantCulture, $"PAT{i:D6}");
        static string Id(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i:D8}");
    }

    [Fact]
    public async Task PreviousResults_ValuesAreExact_AndReadTheSameOnEveryEngine()
    {
        var writer = CreateWriter();
        await writer.MigrateAsync();

        // Within every engine's precision: SQL Server keeps 6 decimals, SQLite's REAL 15 significant digits.
        decimal[] values = [123456.789012m, 0.000001m, 46.30m, 1000m, 0.1m];
        await writer.WriteAsync(RunOf([.. values.Select((v, i) => PatientResult($"j{i}", $"PAT-J{i}", "mirtazapine", v, Now.AddDays(-1)))]));

        var found = await writer.PreviousResultsAsync([.. values.Select((_, i) => ($"PAT-J{i}", "mirtazapine"))], Now);

        Assert.Equal(
            ["123456.789012", "0.000001", "46.3", "1000", "0.1"],
            values.Select((_, i) => found[($"PAT-J{i}", "mirtazapine")].Value.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task PreviousResults_NoKeys_AnswerEmpty_WithoutConnecting()
    {
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: int.MaxValue);
        var found = await CreateWriter(dialect: dialect).PreviousResultsAsync([], Now);
        Assert.Empty(found);
        Assert.Equal(0, dialect.Connections);
    }

    [Fact]
    public async Task PreviousResults_TransientConnectionFailures_AreRetried_ThenAnswered()
    {
        await CreateWriter().MigrateAsync();
        await CreateWriter().WriteAsync(History());
        var time = new ManualTimeProvider(Start);
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: 2);
        var writer = CreateWriter(new LisWriterOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromHours(1) }, dialect, time);

        var lookup = writer.PreviousResultsAsync([("PAT-B", "mirtazapine")], Now);
        await time.AdvanceUntilCompletedAsync(lookup, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        Assert.Equal(3, dialect.Connections);
        Assert.Equal(61.75m, (await lookup)[("PAT-B", "mirtazapine")].Value);
    }

    [Fact]
    public async Task PreviousResults_DatabaseDown_FailAsTransient_NeverAsNoPreviousResult_AndOpenTheCircuit()
    {
        await CreateWriter().MigrateAsync();
        var time = new ManualTimeProvider(Start);
        var dialect = new FlakyDialect(CreateDialect(), UnreachableConnectionString, failures: int.MaxValue);
        var options = new LisWriterOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromHours(1), BreakerMinimumThroughput = 3 };
        var writer = CreateWriter(options, dialect, time);

        var lookup = writer.PreviousResultsAsync([("PAT-B", "mirtazapine")], Now);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => time.AdvanceUntilCompletedAsync(lookup, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)));
        Assert.True(writer.Dialect.IsTransient(error), $"an unreachable database is transient: {error}");
        Assert.Equal(3, dialect.Connections);

        // Lookups and writes share the breaker: the database is down for both.
        await Assert.ThrowsAsync<LisUnavailableException>(() => writer.WriteAsync(Batch(revision: 1)));
        Assert.Equal(3, dialect.Connections);
    }
}
