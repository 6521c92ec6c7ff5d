using System.Globalization;
using Microsoft.AspNetCore.Html;
using MirtLab.Core.Runs;

namespace MirtLab.Worker.Web.Plots;

/// <summary>The lines a Levey-Jennings chart is drawn against.</summary>
/// <param name="Mean">Centre line.</param>
/// <param name="Sd">Standard deviation; null when it cannot be computed (fewer than two results, or all equal).</param>
/// <param name="Established">True for the target the Westgard rules judged the run against (configured or from history).</param>
/// <param name="Source">Where the numbers come from, in words.</param>
public sealed record ControlLimits(double Mean, double? Sd, bool Established, string Source)
{
    /// <summary>
    /// The lines of one QC level as the run's evaluation saw them: its Westgard target when one was established,
    /// otherwise mean and SD of the results shown, for orientation only, with the reason no target existed.
    /// </summary>
    public static ControlLimits Of(QcLevelChart chart)
    {
        if (chart.Mean is decimal mean && chart.Sd is decimal sd)
        {
            return new ControlLimits((double)mean, (double)sd, true, "Westgard target (" + (chart.TargetSource ?? "source not recorded") + ")");
        }

        var values = chart.Points.Select(p => (double)p.Value).ToList();
        var shown = values.Count == 0 ? 0 : values.Average();
        double? spread = null;
        if (values.Count >= 2)
        {
            var s = Math.Sqrt(values.Sum(v => (v - shown) * (v - shown)) / (values.Count - 1));
            spread = s > 0 ? s : null;
        }

        return new ControlLimits(shown, spread, false, string.Create(
            CultureInfo.InvariantCulture,
            $"no Westgard target ({chart.NoTargetReason ?? "not established"}); lines from the mean and SD of the {values.Count} results shown, for orientation only"));
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

    /// <param name="id">Element id of the SVG.</param>
    /// <param name="title">Accessible title.</param>
    /// <param name="points">Earlier accepted runs' results and this run's, oldest first.</param>
    /// <param name="violations">Westgard rules that fired, with the observations involved.</param>
    /// <param name="unit">The analyte's unit.</param>
    /// <param name="limits">Mean and SD lines.</param>
    public static HtmlString Render(string id, string title, IReadOnlyList<QcChartPoint> points, IReadOnlyList<WestgardViolation> violations, string unit, ControlLimits limits)
    {
        var svg = new Svg();
        var outside2 = limits.Sd is double s2 ? points.Count(p => Math.Abs((double)p.Value - limits.Mean) > 2 * s2) : 0;
        var description = string.Create(CultureInfo.InvariantCulture, $"{points.Count} QC results across runs; {limits.Source}; {outside2} beyond 2 SD.");
        svg.Raw($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"levey-jennings\" id=\"{Svg.E(id)}\" width=\"{Svg.N(Width)}\" height=\"{Svg.N(Height)}\" viewBox=\"0 0 {Svg.N(Width)} {Svg.N(Height)}\" role=\"img\" aria-labelledby=\"{Svg.E(id)}-t {Svg.E(id)}-d\">");
        svg.Raw($"<title id=\"{Svg.E(id)}-t\">{Svg.E(title)}</title><desc id=\"{Svg.E(id)}-d\">{Svg.E(description)}</desc>");
        svg.Raw($"<rect x=\"0\" y=\"0\" width=\"{Svg.N(Width)}\" height=\"{Svg.N(Height)}\" fill=\"#fff\"/>");

        var values = points;
        var sd = limits.Sd ?? Math.Max(Math.Abs(limits.Mean) * 0.05, 1e-9);
        var measured = values.Select(p => (double)p.Value).ToList();
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
            svg.Path(string.Join(' ', values.Select((p, i) => (i == 0 ? "M" : "L") + Svg.N(X(i)) + " " + Svg.N(y.Map((double)p.Value)))), "trace", "#9aa7b5", 1);
        }

        for (var i = 0; i < values.Count; i++)
        {
            var p = values[i];
            var value = (double)p.Value;
            var z = limits.Sd is double s ? (value - limits.Mean) / s : 0;
            var rules = violations.Where(v => v.Observations.Any(o => SameObservation(o, p))).Select(v => v.Rule).Distinct().ToList();
            var within = Math.Abs(z) <= 2 && rules.Count == 0;
            var when = p.AcquiredUtc is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "time unknown";
            var tip = string.Create(
                CultureInfo.InvariantCulture,
                $"{p.SampleName}, run {p.RunKey} ({when}): {value:G6} {unit}{(limits.Sd is null ? string.Empty : $", {z:+0.0;-0.0} SD")}{(p.ThisRun ? ", this run" : string.Empty)}{(rules.Count == 0 ? string.Empty : ", Westgard " + string.Join(", ", rules))}");
            var css = (p.ThisRun ? "qc-point current" : "qc-point") + (rules.Count == 0 ? string.Empty : " westgard");
            svg.Marker(X(i), y.Map(value), within, css, tip, emphasise: p.ThisRun, data: $" data-run=\"{Svg.E(p.RunKey)}\"");
        }

        svg.Text((Left + Width - Right) / 2, Height - 12, "Runs, oldest to newest (this run's results are outlined)", "middle", 11, cssClass: "axis-label");
        svg.Raw($"<text x=\"16\" y=\"{Svg.N((Top + Height - Bottom) / 2)}\" transform=\"rotate(-90 16 {Svg.N((Top + Height - Bottom) / 2)})\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1a1a1a\">{Svg.E(unit)}</text>");
        return new HtmlString(svg.Raw("</svg>").ToString());
    }

    private static bool SameObservation(QcChartPoint a, QcChartPoint b) =>
        string.Equals(a.RunKey, b.RunKey, StringComparison.Ordinal)
        && string.Equals(a.SampleName, b.SampleName, StringComparison.Ordinal)
        && a.Level == b.Level
        && a.Value == b.Value;
}
