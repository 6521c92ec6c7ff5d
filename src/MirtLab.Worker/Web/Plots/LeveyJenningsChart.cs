using System.Globalization;
using Microsoft.AspNetCore.Html;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Web.Plots;

/// <summary>The statistics a Levey-Jennings chart is drawn against.</summary>
/// <param name="Mean">Centre line.</param>
/// <param name="Sd">Standard deviation; null when it cannot be computed (fewer than two results, or all equal).</param>
/// <param name="Count">Results it was computed from.</param>
/// <param name="Source">Where the numbers come from, in words.</param>
public sealed record ControlLimits(double Mean, double? Sd, int Count, string Source)
{
    /// <summary>Mean and sample SD of the history shown (no established targets are configured yet).</summary>
    public static ControlLimits FromHistory(IReadOnlyList<double> values)
    {
        var mean = values.Count == 0 ? 0 : values.Average();
        double? sd = null;
        if (values.Count >= 2)
        {
            var s = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
            sd = s > 0 ? s : null;
        }

        return new ControlLimits(mean, sd, values.Count, string.Create(CultureInfo.InvariantCulture, $"mean and SD computed from the {values.Count} results shown (no established target values are configured)"));
    }
}

/// <summary>A Levey-Jennings chart of one QC level of one analyte across runs: results in run order against mean ±1/2/3 SD.</summary>
public static class LeveyJenningsChart
{
    private const double Width = 660;
    private const double Height = 260;
    private const double Left = 78;
    private const double Right = 70;
    private const double Top = 18;
    private const double Bottom = 40;

    public static HtmlString Render(string id, string title, IReadOnlyList<QaQcHistoryPoint> history, string currentRunKey, string unit, ControlLimits limits)
    {
        var svg = new Svg();
        var outside2 = limits.Sd is double s2 ? history.Count(p => p.Qc.Measured is decimal m && Math.Abs((double)m - limits.Mean) > 2 * s2) : 0;
        var description = string.Create(CultureInfo.InvariantCulture, $"{history.Count} QC results across runs; {limits.Source}; {outside2} beyond 2 SD.");
        svg.Raw($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"levey-jennings\" id=\"{Svg.E(id)}\" width=\"{Svg.N(Width)}\" height=\"{Svg.N(Height)}\" viewBox=\"0 0 {Svg.N(Width)} {Svg.N(Height)}\" role=\"img\" aria-labelledby=\"{Svg.E(id)}-t {Svg.E(id)}-d\">");
        svg.Raw($"<title id=\"{Svg.E(id)}-t\">{Svg.E(title)}</title><desc id=\"{Svg.E(id)}-d\">{Svg.E(description)}</desc>");
        svg.Raw($"<rect x=\"0\" y=\"0\" width=\"{Svg.N(Width)}\" height=\"{Svg.N(Height)}\" fill=\"#fff\"/>");

        var values = history.Where(p => p.Qc.Measured is not null).ToList();
        var sd = limits.Sd ?? Math.Max(Math.Abs(limits.Mean) * 0.05, 1e-9);
        var measured = values.Select(p => (double)p.Qc.Measured!.Value).ToList();
        var yMin = Math.Min(limits.Mean - (3.6 * sd), measured.DefaultIfEmpty(limits.Mean).Min());
        var yMax = Math.Max(limits.Mean + (3.6 * sd), measured.DefaultIfEmpty(limits.Mean).Max());
        var y = new Axis(yMin, yMax, Height - Bottom, Top, log: false);
        var n = Math.Max(values.Count, 2);
        double X(int i) => Left + 12 + ((Width - Left - Right - 24) * i / (n - 1));

        svg.Raw($"<rect x=\"{Svg.N(Left)}\" y=\"{Svg.N(Top)}\" width=\"{Svg.N(Width - Left - Right)}\" height=\"{Svg.N(Height - Top - Bottom)}\" fill=\"none\" stroke=\"#999\"/>");
        var lines = limits.Sd is null
            ? new[] { (0, "mean", "#1a1a1a", (string?)null) }
            : new[] { (-3, "−3 SD", "#b00020", (string?)null), (-2, "−2 SD", "#8a4b00", "6 3"), (-1, "−1 SD", "#888", "2 3"), (0, "mean", "#1a1a1a", null), (1, "+1 SD", "#888", "2 3"), (2, "+2 SD", "#8a4b00", "6 3"), (3, "+3 SD", "#b00020", null) };
        foreach (var (k, name, colour, dash) in lines)
        {
            var v = limits.Mean + (k * sd);
            svg.Line(Left, y.Map(v), Width - Right, y.Map(v), "sd-line", colour, k == 0 ? 1.5 : 1, dash);
            svg.Text(Width - Right + 4, y.Map(v) + 4, name, "start", 10, colour);
            svg.Text(Left - 6, y.Map(v) + 4, v.ToString("G4", CultureInfo.InvariantCulture), "end", 10);
        }

        if (values.Count > 1)
        {
            svg.Path(string.Join(' ', values.Select((p, i) => (i == 0 ? "M" : "L") + Svg.N(X(i)) + " " + Svg.N(y.Map((double)p.Qc.Measured!.Value)))), "trace", "#9aa7b5", 1);
        }

        for (var i = 0; i < values.Count; i++)
        {
            var p = values[i];
            var value = (double)p.Qc.Measured!.Value;
            var z = limits.Sd is double s ? (value - limits.Mean) / s : 0;
            var within = Math.Abs(z) <= 2;
            var current = string.Equals(p.RunKey, currentRunKey, StringComparison.Ordinal);
            var tip = string.Create(CultureInfo.InvariantCulture, $"{p.Qc.SampleName}, run {p.RunKey} ({p.RunTimeUtc[..Math.Min(16, p.RunTimeUtc.Length)].Replace('T', ' ')} UTC): {value:G6} {unit}{(limits.Sd is null ? string.Empty : $", {z:+0.0;-0.0} SD")}{(current ? ", this run" : string.Empty)}");
            svg.Marker(X(i), y.Map(value), within, current ? "qc-point current" : "qc-point", tip, emphasise: current, data: $" data-run=\"{Svg.E(p.RunKey)}\"");
        }

        svg.Text((Left + Width - Right) / 2, Height - 12, "Runs, oldest to newest (this run's results are outlined)", "middle", 11, cssClass: "axis-label");
        svg.Raw($"<text x=\"16\" y=\"{Svg.N((Top + Height - Bottom) / 2)}\" transform=\"rotate(-90 16 {Svg.N((Top + Height - Bottom) / 2)})\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1a1a1a\">{Svg.E(unit)}</text>");
        return new HtmlString(svg.Raw("</svg>").ToString());
    }
}
