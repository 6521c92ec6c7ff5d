using System.Diagnostics;

namespace MirtLab.Benchmarks;

/// <summary>One timed run: how long the measured part took and how many units (rows, messages) it handled.</summary>
internal readonly record struct Sample(TimeSpan Elapsed, long Units);

/// <summary>The medians of MirtLab and of the stage's ceiling, measured interleaved, and their ratio.</summary>
internal sealed record Comparison(
    string Stage,
    string Data,
    string Unit,
    long Units,
    long Bytes,
    IReadOnlyList<double> MirtLabSeconds,
    IReadOnlyList<double> CeilingSeconds,
    string MirtLabLabel,
    string CeilingLabel,
    double Target)
{
    public double MirtLabMedian => Median(MirtLabSeconds);

    public double CeilingMedian => Median(CeilingSeconds);

    /// <summary>MirtLab's throughput as a fraction of the ceiling's (both medians, same data).</summary>
    public double Ratio => CeilingMedian / MirtLabMedian;

    /// <summary>The ratio of each interleaved pair, to show how much the noise moves it.</summary>
    public IReadOnlyList<double> PairRatios => MirtLabSeconds.Zip(CeilingSeconds, (m, c) => c / m).Order().ToList();

    public double MirtLabPerSecond => Units / MirtLabMedian;

    public double CeilingPerSecond => Units / CeilingMedian;

    public bool Met => Ratio >= Target;

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>
/// Runs MirtLab and the ceiling on the same data in alternating order (A B, B A, A B, …) after one warm-up each,
/// so that a slow minute on this shared 2-core machine hits both sides alike: the absolute times drift between
/// runs, their ratio within a run holds. Each side times only its measured part (set-up such as creating a fresh
/// database is excluded) and returns that time.
/// </summary>
internal static class Harness
{
    public static async Task<(List<double> MirtLab, List<double> Ceiling)> InterleaveAsync(int runs, Func<Task<Sample>> mirtlab, Func<Task<Sample>> ceiling, Action<string>? progress = null)
    {
        await mirtlab();
        await ceiling();
        var a = new List<double>(runs);
        var b = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            Settle();
            if (i % 2 == 0)
            {
                a.Add((await mirtlab()).Elapsed.TotalSeconds);
                Settle();
                b.Add((await ceiling()).Elapsed.TotalSeconds);
            }
            else
            {
                b.Add((await ceiling()).Elapsed.TotalSeconds);
                Settle();
                a.Add((await mirtlab()).Elapsed.TotalSeconds);
            }

            progress?.Invoke($"run {i + 1}/{runs}: MirtLab {a[^1]:0.000} s, ceiling {b[^1]:0.000} s");
        }

        return (a, b);
    }

    /// <summary>Starts each measured run from a collected heap, so garbage of the previous one is not billed to it.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    public static async Task<Sample> TimeAsync(long units, Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return new Sample(stopwatch.Elapsed, units);
    }
}
