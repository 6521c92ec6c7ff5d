using System.Globalization;
using Microsoft.AspNetCore.Html;
using MirtLab.Core.Runs;

namespace MirtLab.Worker.Web.Plots;

/// <summary>A calibration curve to draw: coefficients in ascending power (intercept first), and where it came from.</summary>
/// <param name="Source">Whose fit it is, in words.</param>
/// <param name="Model">Linear or quadratic.</param>
/// <param name="Weighting">The regression weighting, as a lab writes it (<c>1/x²</c>).</param>
/// <param name="Coefficients">Ascending power.</param>
/// <param name="Statistics">r and r² in words.</param>
/// <param name="ResponseLabel">The y axis.</param>
/// <param name="MeasuredResponses">True when the calibrators' responses come from the export (MirtLab's fit), false when they are recovered from the vendor's equation.</param>
public sealed record PlottedCurve(string Source, string Model, string Weighting, IReadOnlyList<double> Coefficients, string Statistics, string ResponseLabel, bool MeasuredResponses)
{
    public double Evaluate(double x)
    {
        var y = 0.0;
        for (var i = Coefficients.Count - 1; i >= 0; i--)
        {
            y = (y * x) + Coefficients[i];
        }

        return y;
    }

    /// <summary>The equation, e.g. <c>y = 0.00213 + 0.0198·x</c>.</summary>
    public string Equation()
    {
        var terms = Coefficients.Select((c, i) => i switch
        {
            0 => G(c),
            1 => G(c) + "·x",
            _ => G(c) + "·x" + (i == 2 ? "²" : "^" + i.ToString(CultureInfo.InvariantCulture)),
        });
        return "y = " + string.Join(" + ", terms).Replace("+ -", "− ", StringComparison.Ordinal);
    }

    private static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}

/// <summary>
/// The calibration curve of one analyte in one run as inline SVG: calibrator points, the fitted curve, the
/// reportable range (LLOQ, ULOQ), and below it each calibrator's deviation from nominal against its tolerance.
/// </summary>
public static class CalibrationPlot
{
    private const double Width = 660;
    private const double Left = 78;
    private const double Right = 24;
    private const double Top = 26;
    private const double MainHeight = 300;
    private const double Gap = 58;
    private const double ResidualHeight = 150;
    private const double Height = Top + MainHeight + Gap + ResidualHeight + 46;

    /// <summary>
    /// The curve to draw: MirtLab's own fit (the one the acceptance checks judged) through the calibrators' responses
    /// from the export; without one, the vendor's equation as exported; null when the run has neither.
    /// </summary>
    public static PlottedCurve? FitOf(AnalyteEvaluationDocument analyte)
    {
        if (analyte.Fit is { Coefficients.Count: > 0 } own)
        {
            var from = own.ModelSource == "configuration" ? "the lab's validated model" : "the vendor's model";
            return new PlottedCurve(
                $"MirtLab's fit ({from}) to {own.PointsInFit} calibrators",
                own.Fit.ToString().ToLowerInvariant(),
                Weighting(own.Weighting),
                own.Coefficients.Select(c => (double)c).ToList(),
                own.RSquared is decimal r2
                    ? string.Create(CultureInfo.InvariantCulture, $"r² = {r2:0.0000}") + (own.VendorRSquared is decimal v ? string.Create(CultureInfo.InvariantCulture, $" (the vendor's: {v:0.0000})") : string.Empty)
                    : "no r²",
                ResponseLabel(own.Response),
                MeasuredResponses: true);
        }

        return analyte.VendorCalibration is { Coefficients.Count: > 0 } vendor
            ? new PlottedCurve(
                "the vendor software's fit, as exported",
                vendor.Fit.ToString().ToLowerInvariant(),
                Weighting(vendor.Weighting),
                vendor.Coefficients,
                vendor.CorrelationCoefficient is double r
                    ? string.Create(CultureInfo.InvariantCulture, $"r = {r:0.0000}, r² = {r * r:0.0000}")
                    : "no correlation coefficient",
                ResponseLabel(vendor.Response is null ? null : vendor.Response + " ratio"),
                MeasuredResponses: false)
            : null;
    }

    private static string ResponseLabel(string? response) => response switch
    {
        null or "" => "Response",
        "area ratio" or "height ratio" => $"{char.ToUpperInvariant(response[0])}{response[1..]} (analyte / IS)",
        _ => $"{char.ToUpperInvariant(response[0])}{response[1..]}",
    };

    public static string Weighting(Weighting weighting) => weighting switch
    {
        Core.Runs.Weighting.None => "none",
        Core.Runs.Weighting.OneOverX => "1/x",
        Core.Runs.Weighting.OneOverXSquared => "1/x²",
        Core.Runs.Weighting.OneOverY => "1/y",
        Core.Runs.Weighting.OneOverYSquared => "1/y²",
        Core.Runs.Weighting.LnX => "ln x",
        Core.Runs.Weighting.LnY => "ln y",
        _ => weighting.ToString(),
    };

    public static HtmlString Render(AnalyteEvaluationDocument analyte, string displayName, string id)
    {
        var fit = FitOf(analyte);
        var unit = analyte.Unit ?? string.Empty;
        var points = analyte.Calibrators.Where(c => c.Nominal > 0).ToList();
        var svg = new Svg();
        var title = $"Calibration curve of {displayName}";
        var description = fit is null
            ? $"{points.Count} calibrators: back-calculated against nominal concentration; {points.Count(p => !p.Passed)} failing."
            : $"{points.Count} calibrators on the fitted curve {fit.Equation()}; {points.Count(p => !p.Passed)} failing.";
        svg.Raw($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"calibration-plot\" id=\"{Svg.E(id)}\" width=\"{Svg.N(Width)}\" height=\"{Svg.N(Height)}\" viewBox=\"0 0 {Svg.N(Width)} {Svg.N(Height)}\" role=\"img\" aria-labelledby=\"{Svg.E(id)}-t {Svg.E(id)}-d\">");
        svg.Raw($"<title id=\"{Svg.E(id)}-t\">{Svg.E(title)}</title><desc id=\"{Svg.E(id)}-d\">{Svg.E(description)}</desc>");
        svg.Raw($"<rect x=\"0\" y=\"0\" width=\"{Svg.N(Width)}\" height=\"{Svg.N(Height)}\" fill=\"#fff\"/>");
        if (points.Count == 0)
        {
            svg.Text(Width / 2, Top + (MainHeight / 2), "No calibrators in this run", "middle", 14);
            return new HtmlString(svg.Raw("</svg>").ToString());
        }

        // x: nominal concentration; a logarithmic axis keeps the low calibrators (where runs fail) readable.
        var nominals = points.Select(p => (double)p.Nominal).ToList();
        var lloq = analyte.Lloq is decimal l ? (double)l : (double?)null;
        var uloq = analyte.Uloq is decimal u ? (double)u : (double?)null;
        var xMin = nominals.Min() / 1.6;
        var xMax = nominals.Max() * 1.6;
        var xLog = xMax / xMin > 20;
        if (!xLog)
        {
            xMin = 0;
            xMax = nominals.Max() * 1.1;
        }

        var x = new Axis(xMin, xMax, Left, Width - Right, xLog);

        // y: each calibrator's response. MirtLab's fit was made from the responses the export states; the vendor's
        // equation alone comes without them, so the response is recovered from each back-calculated value (the
        // vendor computed it from the response through that very equation).
        var ys = points.Select(p => Y(p, fit)).ToList();
        var samples = Enumerable.Range(0, 81).Select(i => xLog ? xMin * Math.Pow(xMax / xMin, i / 80.0) : xMin + ((xMax - xMin) * i / 80.0)).ToList();
        var curve = samples.Select(s => fit is null ? s : fit.Evaluate(s)).ToList();
        var all = ys.OfType<double>().Concat(curve).ToList();
        var yLog = xLog && all.All(v => v > 0);
        var yMin = yLog ? all.Min() / 1.3 : Math.Min(0, all.Min());
        var yMax = yLog ? all.Max() * 1.3 : all.Max() * 1.08;
        var y = new Axis(yMin, yMax, Top + MainHeight, Top, yLog);

        DrawFrame(svg, x, Top, Top + MainHeight);
        foreach (var t in y.Ticks())
        {
            svg.Line(Left, y.Map(t), Width - Right, y.Map(t), "grid", "#e3e3e3");
            svg.Text(Left - 6, y.Map(t) + 4, Axis.Label(t), "end", 11);
        }

        svg.Raw($"<text x=\"16\" y=\"{Svg.N(Top + (MainHeight / 2))}\" transform=\"rotate(-90 16 {Svg.N(Top + (MainHeight / 2))})\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1a1a1a\" class=\"axis-label\">{Svg.E((fit?.ResponseLabel ?? $"Back-calculated ({unit})") + (yLog ? ", log" : string.Empty))}</text>");
        ReportableRange(svg, x, lloq, uloq, Top, Top + MainHeight + Gap + ResidualHeight, unit);

        var d = string.Join(' ', samples.Select((s, i) => (i == 0 ? "M" : "L") + Svg.N(x.Map(s)) + " " + Svg.N(y.Map(curve[i]))).Where((_, i) => !yLog || curve[i] > 0));
        svg.Path(d, "fitted-curve", "#0b4f9c", 2);

        for (var i = 0; i < points.Count; i++)
        {
            if (ys[i] is not double value)
            {
                continue;
            }

            var p = points[i];
            svg.Marker(x.Map((double)p.Nominal), y.Map(value), p.Passed, "calibrator", Describe(p, unit), data: $" data-sample=\"{Svg.E(p.SampleName)}\"");
        }

        // Residual panel: deviation of each back-calculated concentration from nominal, against its tolerance.
        var top2 = Top + MainHeight + Gap;
        var deviations = points.Select(p => p.AccuracyPercent is decimal a ? (double)(a - 100m) : (double?)null).ToList();
        var tolerances = points.Select(p => (double)p.TolerancePercent).Distinct().OrderBy(t => t).ToList();
        var limit = Math.Max(tolerances.DefaultIfEmpty(15).Max() + 5, deviations.OfType<double>().Select(Math.Abs).DefaultIfEmpty(0).Max() + 5);
        var r = new Axis(-limit, limit, top2 + ResidualHeight, top2, log: false);
        DrawFrame(svg, x, top2, top2 + ResidualHeight);
        svg.Text(Left, top2 - 8, "Deviation from nominal (%)", "start", 12, cssClass: "axis-label");
        foreach (var t in r.Ticks())
        {
            svg.Text(Left - 6, r.Map(t) + 4, (t > 0 ? "+" : string.Empty) + Axis.Label(t), "end", 11);
        }

        svg.Line(Left, r.Map(0), Width - Right, r.Map(0), "zero", "#777");
        foreach (var tol in tolerances)
        {
            svg.Line(Left, r.Map(tol), Width - Right, r.Map(tol), "tolerance", "#8a4b00", 1, "5 3");
            svg.Line(Left, r.Map(-tol), Width - Right, r.Map(-tol), "tolerance", "#8a4b00", 1, "5 3");
            svg.Text(Width - Right - 2, r.Map(tol) - 3, string.Create(CultureInfo.InvariantCulture, $"±{tol:0.#}%"), "end", 10, "#8a4b00");
        }

        for (var i = 0; i < points.Count; i++)
        {
            if (deviations[i] is double dev)
            {
                svg.Marker(x.Map((double)points[i].Nominal), r.Map(Math.Clamp(dev, -limit, limit)), points[i].Passed, "residual", Describe(points[i], unit));
            }
        }

        svg.Text((Left + Width - Right) / 2, Height - 8, $"Nominal concentration ({unit}){(xLog ? ", logarithmic" : string.Empty)}", "middle", 12, cssClass: "axis-label");
        Legend(svg, fit is null ? "line of identity" : "fitted curve");
        return new HtmlString(svg.Raw("</svg>").ToString());
    }

    private static void DrawFrame(Svg svg, Axis x, double top, double bottom)
    {
        svg.Raw($"<rect x=\"{Svg.N(Left)}\" y=\"{Svg.N(top)}\" width=\"{Svg.N(Width - Left - Right)}\" height=\"{Svg.N(bottom - top)}\" fill=\"none\" stroke=\"#999\"/>");
        foreach (var t in x.Ticks())
        {
            svg.Line(x.Map(t), bottom, x.Map(t), bottom + 4, "tick", "#999");
            svg.Text(x.Map(t), bottom + 16, Axis.Label(t), "middle", 11);
        }
    }

    private static void ReportableRange(Svg svg, Axis x, double? lloq, double? uloq, double top, double bottom, string unit)
    {
        foreach (var (value, name) in new[] { (lloq, "LLOQ"), (uloq, "ULOQ") })
        {
            if (value is double v && v >= x.Min && v <= x.Max)
            {
                svg.Line(x.Map(v), top, x.Map(v), bottom, name.ToLowerInvariant(), "#6a1b9a", 1.5, "7 4");
                svg.Text(x.Map(v) + (name == "LLOQ" ? 4 : -4), top + 12, string.Create(CultureInfo.InvariantCulture, $"{name} {v:G6} {unit}"), name == "LLOQ" ? "start" : "end", 11, "#6a1b9a");
            }
        }
    }

    private static void Legend(Svg svg, string curveName)
    {
        var y = 12.0;
        var x = Left + 4;
        svg.Raw($"<g class=\"legend\" font-size=\"11\">");
        svg.Line(x, y, x + 22, y, "legend-curve", "#0b4f9c", 2);
        svg.Text(x + 26, y + 4, curveName, "start", 11);
        svg.Marker(x + 130, y, true, "legend-pass", "passing calibrator");
        svg.Text(x + 140, y + 4, "within tolerance", "start", 11);
        svg.Marker(x + 250, y, false, "legend-fail", "failing calibrator");
        svg.Text(x + 260, y + 4, "outside tolerance", "start", 11);
        svg.Raw("</g>");
    }

    private static double? Y(CalibratorPoint p, PlottedCurve? fit) => fit switch
    {
        null => p.Measured is decimal m ? (double)m : null,
        { MeasuredResponses: true } => p.Response is decimal r ? (double)r : null,
        _ => p.Measured is decimal m ? fit.Evaluate((double)m) : null,
    };

    private static string Describe(CalibratorPoint p, string unit) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.SampleName}: nominal {p.Nominal} {unit}, back-calculated {(p.Measured is decimal m ? m.ToString(CultureInfo.InvariantCulture) : "no value")}, accuracy {(p.AccuracyPercent is decimal a ? a.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-")} (tolerance ±{p.TolerancePercent}%): {(p.Passed ? "pass" : "FAIL")}{(p.Response is decimal r ? $", response {r:G6}" : string.Empty)}{(p.Note is { Length: > 0 } note ? "; " + note : string.Empty)}");
}
