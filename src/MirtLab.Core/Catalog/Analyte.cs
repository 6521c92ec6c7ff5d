using System.Globalization;
using MirtLab.Core.Units;

namespace MirtLab.Core.Catalog;

/// <summary>How many digits a reported value keeps: fixed decimals or significant figures.</summary>
public sealed record ReportingPrecision(int? Decimals, int? SignificantFigures)
{
    public static ReportingPrecision Default { get; } = new(null, 3);

    /// <summary>Rounds half away from zero, as laboratory reports round.</summary>
    public decimal Round(decimal value)
    {
        if (Decimals is int decimals)
        {
            return Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        }

        var figures = SignificantFigures ?? 3;
        if (value == 0m)
        {
            return 0m;
        }

        var magnitude = (int)Math.Floor(Math.Log10((double)Math.Abs(value)));
        var places = figures - 1 - magnitude;
        if (places >= 0)
        {
            return Math.Round(value, Math.Min(places, 28), MidpointRounding.AwayFromZero);
        }

        var scale = Pow10(-places);
        return Math.Round(value / scale, 0, MidpointRounding.AwayFromZero) * scale;
    }

    /// <summary>Formats a rounded value with the digits the precision promises (trailing zeros kept).</summary>
    public string Format(decimal value)
    {
        var rounded = Round(value);
        if (Decimals is int decimals)
        {
            return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        var figures = SignificantFigures ?? 3;
        if (rounded == 0m)
        {
            return "0";
        }

        var magnitude = (int)Math.Floor(Math.Log10((double)Math.Abs(rounded)));
        var places = Math.Max(0, figures - 1 - magnitude);
        return rounded.ToString("F" + places.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }
}

/// <summary>An analyte the lab reports (or an internal standard it never reports), as configured in the catalog.</summary>
public sealed class Analyte
{
    /// <summary>Catalog code: lower-case, stable, used in MQTT topics and LIS rows (<c>mirtazapine</c>).</summary>
    public required string Code { get; init; }

    public required string Name { get; init; }

    public string? Loinc { get; init; }

    /// <summary>The canonical UCUM unit every value of this analyte is reported in.</summary>
    public required UcumUnit Unit { get; init; }

    /// <summary>Molar mass of the free base in g/mol; needed only for mass ↔ molar conversion.</summary>
    public decimal? MolarMass { get; init; }

    public string? Specimen { get; init; }

    public ReportingPrecision Precision { get; init; } = ReportingPrecision.Default;

    /// <summary>Internal standards are read and evaluated but never reported as patient results.</summary>
    public bool IsInternalStandard { get; init; }

    /// <summary>Codes of the internal standards this analyte is quantified against.</summary>
    public IReadOnlyList<string> InternalStandards { get; init; } = [];

    /// <summary>Peak or compound names any instrument may use.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Names only one instrument uses, by instrument id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InstrumentAliases { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<AnalyteRange> Ranges { get; init; } = [];

    /// <summary>For an observation MirtLab computes (a ratio, a sum, a dose-normalised level): how; null for a measured analyte.</summary>
    public Derivation? Derivation { get; init; }

    /// <summary>Delta-check limits against the same patient's previous result; null when no delta check is configured.</summary>
    public DeltaLimits? Delta { get; init; }

    /// <summary>
    /// When true (the default) a result with no applicable reference or therapeutic range is held
    /// for review rather than released: no range, no autoverification.
    /// </summary>
    public bool RequireRange { get; init; } = true;
}

/// <summary>How a derived observation is computed from measured ones.</summary>
public enum DerivationKind
{
    /// <summary>Components[0] / Components[1], both in their canonical units (a metabolic ratio).</summary>
    Ratio,

    /// <summary>The sum of the components, each converted to the derived analyte's unit (an active moiety).</summary>
    Sum,

    /// <summary>Components[0] divided by the daily dose in mg (a concentration/dose ratio).</summary>
    PerDose,
}

/// <summary>
/// A derived observation's recipe. When <see cref="HoldComponentsWhenFlagged"/> is set, a flag on the derived
/// value holds its components for review too (a consistency rule, CLSI AUTO10).
/// </summary>
public sealed record Derivation(DerivationKind Kind, IReadOnlyList<string> Components, bool HoldComponentsWhenFlagged);

/// <summary>
/// Delta-check limits: a change from the previous result beyond every configured limit is flagged
/// (<c>U</c> up, <c>D</c> down) and held. Results older than <see cref="MaxAgeDays"/> are not compared.
/// </summary>
public sealed record DeltaLimits(decimal? Absolute, decimal? RelativePercent, int MaxAgeDays);
