using System.Globalization;
using System.Text;

namespace MirtLab.Benchmarks;

/// <summary>The console table: one line per comparison, then the end-to-end latencies and the memory peak.</summary>
internal static class ReportTable
{
    public static string Render(BenchmarkReport report)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"");
        Line($"MirtLab benchmarks ({report.Mode}), commit {report.Commit[..Math.Min(12, report.Commit.Length)]}{(report.Commit.EndsWith("+dirty", StringComparison.Ordinal) ? "+dirty" : "")}, {report.Machine.Cores} cores, {report.Machine.MemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB, {report.Machine.Runtime}");
        Line($"");
        Line($"| Stage | Data | MirtLab | Ceiling | Ratio (median) | Pair ratios | Target | |");
        Line($"|---|---|---|---|---|---|---|---|");
        foreach (var c in report.Comparisons)
        {
            var pairs = c.PairRatios;
            var target = double.IsNaN(c.Target) ? "—" : string.Create(CultureInfo.InvariantCulture, $"≥ {c.Target:0.0#}");
            var verdict = double.IsNaN(c.Target) ? "" : c.Met ? "met" : "MISSED";
            Line($"| {c.Stage} | {c.Data} | {Rate(c.MirtLabPerSecond, c.Unit)}{Mb(c, c.MirtLabMedian)} | {Rate(c.CeilingPerSecond, c.Unit)}{Mb(c, c.CeilingMedian)} | {c.Ratio:0.00} | {pairs[0]:0.00}–{pairs[^1]:0.00} | {target} | {verdict} |");
        }

        if (report.EndToEnd is { } e)
        {
            Line($"| 5. End to end | {e.Plates} plates × {e.ResultsPerPlate} results, window {e.StabilitySeconds:0.###} s | p50 {e.P50:0.0} ms, p99 {e.P99:0.0} ms, max {e.Max:0.0} ms beyond the window | — | — | LIS p99 {EndToEndResult.Percentile(e.LisBeyondWindowMs, 0.99):0.0} ms, MQTT p99 {EndToEndResult.Percentile(e.MqttBeyondWindowMs, 0.99):0.0} ms | p99 ≤ {e.TargetMs:0} ms | {(e.Met ? "met" : "MISSED")} |");
        }

        if (report.Memory is { } m)
        {
            var peak = m.Finished
                ? string.Create(CultureInfo.InvariantCulture, $"peak {m.PeakWorkingSetBytes / (1024.0 * 1024):0} MB (ingest {m.PeakDuringIngestBytes / (1024.0 * 1024):0} MB in {m.IngestSeconds:0.0} s, LIS delivery {m.PeakDuringDeliveryBytes / (1024.0 * 1024):0} MB in {m.DeliverySeconds:0.0} s)")
                : "did not finish: " + m.Failure;
            Line($"| 6. Memory | {m.Data}, {m.Bytes / (1024.0 * 1024):0} MB | {peak} | — | — | — | ≤ {m.TargetBytes / (1024 * 1024)} MB | {(m.Met ? "met" : "MISSED")} |");
        }

        Line($"");
        Line($"Total {report.Seconds:0} s.");
        return text.ToString();
    }

    private static string Rate(double perSecond, string unit) => perSecond switch
    {
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1_000_000:0.00} M {unit}/s"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1_000:0.0} k {unit}/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{perSecond:0} {unit}/s"),
    };

    private static string Mb(Comparison c, double seconds) =>
        c.Unit == "rows" ? string.Create(CultureInfo.InvariantCulture, $", {c.Bytes / seconds / (1024 * 1024):0} MB/s") : string.Empty;
}
