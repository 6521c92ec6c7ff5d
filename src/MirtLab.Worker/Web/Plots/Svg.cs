using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace MirtLab.Worker.Web.Plots;

/// <summary>A small SVG writer: every number invariant, every text encoded (the result is inserted into pages unescaped).</summary>
internal sealed class Svg
{
    private readonly StringBuilder _text = new();

    public static string N(double value) => double.IsFinite(value) ? Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture) : "0";

    public static string E(string text) => HtmlEncoder.Default.Encode(text);

    public Svg Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    public Svg Line(double x1, double y1, double x2, double y2, string cssClass, string stroke, double width = 1, string? dash = null) =>
        Raw($"<line class=\"{cssClass}\" x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"{(dash is null ? string.Empty : $" stroke-dasharray=\"{dash}\"")}/>");

    public Svg Text(double x, double y, string text, string anchor = "start", double size = 12, string fill = "#1a1a1a", string? cssClass = null) =>
        Raw($"<text{(cssClass is null ? string.Empty : $" class=\"{cssClass}\"")} x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"{fill}\">{E(text)}</text>");

    public Svg Path(string d, string cssClass, string stroke, double width, string fill = "none") =>
        Raw($"<path class=\"{cssClass}\" d=\"{d}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\" fill=\"{fill}\"/>");

    /// <summary>A marker that does not rely on colour alone: a filled circle when passing, a hollow square with a cross when failing.</summary>
    public Svg Marker(double x, double y, bool passed, string cssClass, string title, bool emphasise = false, string? data = null)
    {
        var r = emphasise ? 6.5 : 5;
        Raw($"<g class=\"{cssClass} {(passed ? "pass" : "fail")}\"{data ?? string.Empty}><title>{E(title)}</title>");
        if (passed)
        {
            Raw($"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\" fill=\"#1b5e20\"{(emphasise ? " stroke=\"#000\" stroke-width=\"2\"" : string.Empty)}/>");
        }
        else
        {
            Raw($"<rect x=\"{N(x - r)}\" y=\"{N(y - r)}\" width=\"{N(2 * r)}\" height=\"{N(2 * r)}\" fill=\"#fff\" stroke=\"#b00020\" stroke-width=\"2\"/>");
            Raw($"<path d=\"M{N(x - r + 2)} {N(y - r + 2)}L{N(x + r - 2)} {N(y + r - 2)}M{N(x + r - 2)} {N(y - r + 2)}L{N(x - r + 2)} {N(y + r - 2)}\" stroke=\"#b00020\" stroke-width=\"2\"/>");
        }

        return Raw("</g>");
    }

    public override string ToString() => _text.ToString();
}

/// <summary>A linear or logarithmic axis mapping data to pixels.</summary>
internal sealed class Axis(double min, double max, double from, double to, bool log)
{
    private static readonly double[] LogSteps = [1.0, 2.0, 5.0];
    private static readonly double[] LinearSteps = [1.0, 2.0, 5.0, 10.0];

    public bool IsLog { get; } = log;

    public double Min { get; } = min;

    public double Max { get; } = max;

    public double Map(double value)
    {
        var (a, b, v) = IsLog ? (Math.Log10(Min), Math.Log10(Max), Math.Log10(Math.Max(value, Min / 10))) : (Min, Max, value);
        return b == a ? (from + to) / 2 : from + ((v - a) / (b - a) * (to - from));
    }

    /// <summary>Tick values: decades and 2×, 5× for a log axis; 1-2-5 steps for a linear one.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        if (IsLog)
        {
            for (var decade = Math.Floor(Math.Log10(Min)); decade <= Math.Ceiling(Math.Log10(Max)); decade++)
            {
                foreach (var m in LogSteps)
                {
                    var t = m * Math.Pow(10, decade);
                    if (t >= Min * 0.999 && t <= Max * 1.001)
                    {
                        ticks.Add(t);
                    }
                }
            }

            return ticks;
        }

        var span = Max - Min;
        if (span <= 0)
        {
            return [Min];
        }

        var raw = span / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = LinearSteps.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(Min / step) * step; t <= Max + (step / 1000); t += step)
        {
            ticks.Add(Math.Abs(t) < step / 1e6 ? 0 : t);
        }

        return ticks;
    }

    public static string Label(double value) =>
        Math.Abs(value) >= 1000 || (Math.Abs(value) < 0.01 && value != 0)
            ? value.ToString("0.##E+0", CultureInfo.InvariantCulture)
            : value.ToString("0.###", CultureInfo.InvariantCulture);
}
