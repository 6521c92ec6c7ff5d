namespace MirtLab.Core.Rules;

/// <summary>
/// Run-acceptance thresholds for chromatographic quantitation (ICH M10 2022, FDA BMV 2018, CLSI C62).
/// Fractions are of samples: 0.75 means three quarters; 0.667 is read as two thirds.
/// </summary>
public sealed record AcceptanceCriteria
{
    /// <value>Back-calculated calibrator accuracy window in percent of nominal; default 15 (ICH M10 §3.2.4).</value>
    public decimal CalibratorTolerancePercent { get; init; } = 15m;

    /// <value>Accuracy window at the lowest calibrator (the LLOQ); default 20.</value>
    public decimal LloqTolerancePercent { get; init; } = 20m;

    /// <value>Fraction of calibrators that must pass; default 0.75.</value>
    public decimal MinCalibratorPassFraction { get; init; } = 0.75m;

    /// <value>Number of distinct concentration levels that must pass; default 6.</value>
    public int MinCalibrationLevels { get; init; } = 6;

    /// <value>QC accuracy window in percent of nominal; default 15.</value>
    public decimal QcTolerancePercent { get; init; } = 15m;

    /// <value>Fraction of all QCs that must pass; default 0.667 (two thirds).</value>
    public decimal MinQcPassFraction { get; init; } = 0.667m;

    /// <value>Fraction of QCs at each level that must pass; default 0.5.</value>
    public decimal MinQcLevelPassFraction { get; init; } = 0.5m;

    /// <value>When true (default), a run without calibrators for an analyte cannot release that analyte's results.</value>
    public bool RequireCalibration { get; init; } = true;

    /// <summary>
    /// How many of <paramref name="total"/> must pass for <paramref name="fraction"/>. A fraction written
    /// rounded (0.667, 0.333) is read as the simple fraction it stands for, so 12 of 18 meets "two thirds".
    /// </summary>
    public static int Required(decimal fraction, int total)
    {
        for (var denominator = 1; denominator <= 12; denominator++)
        {
            var numerator = Math.Round(fraction * denominator);
            if (Math.Abs(fraction - (numerator / denominator)) < 0.0005m)
            {
                return (int)Math.Ceiling(numerator * total / denominator);
            }
        }

        return (int)Math.Ceiling(fraction * total);
    }
}
