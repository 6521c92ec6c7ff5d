using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Lis.Tests.Support;

/// <summary>The batches the LIS tests write: a small realistic run and large generated ones.</summary>
public static class TestBatches
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Three patient results of one run: an alert value, a value below the LLOQ, a normal one.</summary>
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
            Result("aa", "P-240124 trough", 171.0m, null, null, "171.", ["HH"], 75, revision, status),
            Result("bb", "P-240126 trough", null, "<", 1.0m, "0.62", ["<", "L"], 79, revision, status),
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
            var key = string.Create(CultureInfo.InvariantCulture, $"{runKey}{i:D12}");
            return Result(key, string.Create(CultureInfo.InvariantCulture, $"P-{i:D6} trough"), value, below ? "<" : null, below ? 1.0m : null,
                below ? "0.41" : value!.Value.ToString("0.###", CultureInfo.InvariantCulture), below ? ["<", "L"] : value > 80m ? ["H"] : [], 10 + i, revision, status,
                runKey, i % 5 == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"S{i:D7}"));
        }).ToList();
        return LisRows.ToBatch(run, results, Start);
    }

    public static ResultDocument Result(string key, string sample, decimal? value, string? qualifier, decimal? limit, string raw, string[] flags, int line, int revision, string status,
        string runKey = "0123456789abcdef0123", string? sampleId = null) => new()
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
    };
}
