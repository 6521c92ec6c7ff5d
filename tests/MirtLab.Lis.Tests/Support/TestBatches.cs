using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Lis.Tests.Support;

/// <summary>The batches the LIS tests write: a small realistic run and large generated ones.</summary>
public static class TestBatches
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The interpretive comments of the alert value in <see cref="Batch"/>.</summary>
    public static readonly CommentDocument[] AlertComments =
    [
        new("comment:mirtazapine-high", "Trough above the therapeutic range: check adherence, sampling time and interacting drugs.", "AGNP 2017", "2026-11-21.1+abcdef012345"),
        new("comment:mirtazapine-dose", "Level high for the dose.", null, "2026-11-21.1+abcdef012345"),
    ];

    /// <summary>
    /// Three patient results of one run: an alert value of a known patient with dose and comments, a value below the
    /// LLOQ with a dose, a normal one without patient metadata.
    /// </summary>
    public static LisBatch Batch(int revision, string status = "preliminary")
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
            Result("aa", "P-240124 trough", 171.0m, null, null, "171.", ["HH"], 75, revision, status, patientId: "P-240124", dose: 30m, comments: AlertComments),
            Result("bb", "P-240126 trough", null, "<", 1.0m, "0.62", ["<", "L"], 79, revision, status, patientId: "P-240126", dose: 7.5m),
            Result("cc", "P-240117 trough", 46.3m, null, null, "46.3", [], 61, revision, status),
        ], new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
    }

    /// <summary>A run with <paramref name="count"/> generated patient results: values, limits, nulls and flags vary.</summary>
    public static LisBatch LargeBatch(int count, int revision, string status = "preliminary", string runKey = "fedcba9876543210fedc")
    {
        var run = new RunDocument
        {
            RunKey = runKey,
            Instrument = "tq5500",
            Format = "sciex-analyst-results",
            Source = "big-plate.txt",
            Sha256 = new string('1', 64),
            Outcome = "accepted",
            AcquiredLocal = "2026-11-21T08:21:07",
            AcquiredUtc = new DateTimeOffset(2026, 11, 21, 7, 21, 7, TimeSpan.Zero),
            ConfigVersion = "2026-11-21.1+abcdef012345",
            PatientResultCount = count,
            HeldCount = 0,
        };
        var results = Enumerable.Range(0, count).Select(i =>
        {
            var below = i % 17 == 0;
            var value = below ? (decimal?)null : Math.Round(0.5m + (i * 1.37m % 400m), 3);
            var key = LargeKey(runKey, i);
            CommentDocument[] comments = i % 11 == 0 ? [.. AlertComments] : i % 7 == 0 ? [AlertComments[1]] : [];
            return Result(key, string.Create(CultureInfo.InvariantCulture, $"P-{i:D6} trough"), value, below ? "<" : null, below ? 1.0m : null,
                below ? "0.41" : value!.Value.ToString("0.###", CultureInfo.InvariantCulture), below ? ["<", "L"] : value > 80m ? ["H"] : [], 10 + i, revision, status,
                runKey, i % 5 == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"S{i:D7}"),
                patientId: i % 3 == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"PAT{i:D6}"),
                dose: i % 4 == 0 ? null : 7.5m * (1 + (i % 6)) + (revision - 1),
                comments: comments,
                derivedFrom: i % 13 == 0 && i >= 2 ? [LargeKey(runKey, i - 2).PadRight(32, '0'), LargeKey(runKey, i - 1).PadRight(32, '0')] : null);
        }).ToList();
        return LisRows.ToBatch(run, results, Start);
    }

    /// <summary>The result key of the <paramref name="i"/>-th result of a <see cref="LargeBatch"/> (before padding).</summary>
    public static string LargeKey(string runKey, int i) => string.Create(CultureInfo.InvariantCulture, $"{runKey}{i:D12}");

    /// <summary>
    /// A patient result for the delta check's lookup: <paramref name="patientId"/>'s <paramref name="analyte"/>
    /// acquired at <paramref name="acquiredUtc"/>; a null value is a result below the LLOQ.
    /// </summary>
    public static ResultDocument PatientResult(string key, string patientId, string analyte, decimal? value, DateTimeOffset? acquiredUtc, string status = "final", int revision = 1,
        string unit = "ng/mL", decimal? dose = null, IReadOnlyList<string>? derivedFrom = null) => new()
    {
        ResultKey = key.PadRight(32, '0'),
        RunKey = "0123456789abcdef0123",
        Revision = revision,
        Instrument = "tq5500",
        Source = "plate.txt",
        SampleName = patientId + " trough",
        SampleType = "unknown",
        Analyte = analyte,
        RawAnalyte = analyte,
        Value = value,
        Unit = unit,
        Qualifier = value is null ? "<" : null,
        Limit = value is null ? 1.0m : null,
        Display = value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "<1.0",
        Status = status,
        Raw = new RawDocument(value?.ToString(CultureInfo.InvariantCulture) ?? "0.4", unit, 1, null, null),
        Acquired = acquiredUtc is { } t ? new AcquiredDocument(t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), t) : null,
        ConfigVersion = "2026-11-21.1+abcdef012345",
        PatientId = patientId,
        DoseMgPerDay = dose,
        DerivedFrom = derivedFrom ?? [],
    };

    /// <summary>
    /// A patient's parent drug and metabolite with the two observations MirtLab derives from them: the metabolic
    /// ratio (unit 1) and the dose-normalised level (ng/mL per mg/d).
    /// </summary>
    public static LisBatch DerivedBatch()
    {
        var at = new DateTimeOffset(2026, 11, 21, 8, 39, 9, TimeSpan.Zero);
        var parent = PatientResult("dd", "P-240130", "mirtazapine", 40.1m, at, dose: 30m);
        var metabolite = PatientResult("ee", "P-240130", "n-desmethylmirtazapine", 20.3m, at, dose: 30m);
        return RunOf(
            parent,
            metabolite,
            PatientResult("ff", "P-240130", "mirtazapine-metabolic-ratio", 0.51m, at, unit: "1", dose: 30m, derivedFrom: [metabolite.ResultKey, parent.ResultKey]),
            PatientResult("ab", "P-240130", "mirtazapine-cd-ratio", 1.34m, at, unit: "ng/mL/(mg/d)", dose: 30m, derivedFrom: [parent.ResultKey]));
    }

    /// <summary>One run holding <paramref name="results"/>.</summary>
    public static LisBatch RunOf(params ResultDocument[] results)
    {
        var run = new RunDocument
        {
            RunKey = "0123456789abcdef0123",
            Instrument = "tq5500",
            Format = "sciex-analyst-results",
            Source = "plate.txt",
            Sha256 = new string('0', 64),
            Outcome = "accepted",
            ConfigVersion = "2026-11-21.1+abcdef012345",
            PatientResultCount = results.Length,
            HeldCount = 0,
        };
        return LisRows.ToBatch(run, results, Start);
    }

    public static ResultDocument Result(string key, string sample, decimal? value, string? qualifier, decimal? limit, string raw, string[] flags, int line, int revision, string status,
        string runKey = "0123456789abcdef0123", string? sampleId = null, string? patientId = null, decimal? dose = null,
        IReadOnlyList<CommentDocument>? comments = null, IReadOnlyList<string>? derivedFrom = null) => new()
    {
        ResultKey = key.PadRight(32, '0'),
        RunKey = runKey,
        SampleId = sampleId,
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
        Display = qualifier is null ? value!.Value.ToString("0.0", CultureInfo.InvariantCulture) : "<1.0",
        Flags = flags,
        Status = status,
        Raw = new RawDocument(raw, "ng/mL", line, null, null),
        Acquired = new AcquiredDocument("2026-11-21T09:39:09", new DateTimeOffset(2026, 11, 21, 8, 39, 9, TimeSpan.Zero)),
        ConfigVersion = "2026-11-21.1+abcdef012345",
        PatientId = patientId,
        DoseMgPerDay = dose,
        Comments = comments ?? [],
        DerivedFrom = derivedFrom ?? [],
    };
}
