namespace MirtLab.Core.Rules;

/// <summary>
/// Run-acceptance thresholds for chromatographic quantitation (ICH M10 2022, FDA BMV 2018, CLSI C62) and the
/// QC rules across runs (Westgard multirules). Bound from the <c>acceptance</c> section of <c>config/rules.json</c>.
/// Fractions are of samples: 0.75 means three quarters; 0.667 is read as two thirds. Percentages are relative.
/// </summary>
public sealed record AcceptanceCriteria
{
    /// <summary>Every Westgard rule MirtLab knows, in the order they are reported.</summary>
    public static readonly IReadOnlyList<string> AllWestgardRules = ["1-2s", "1-3s", "2-2s", "R-4s", "4-1s", "10-x"];

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

    /// <value>
    /// Lowest r² of MirtLab's own fit before the run needs review; default 0.995 (CLSI C62 suggestion; ICH M10 and
    /// FDA BMV 2018 set no r² limit, so a low r² asks for review and never rejects on its own).
    /// </value>
    public decimal MinRSquared { get; init; } = 0.995m;

    /// <value>
    /// Largest difference, in percent, between a calibrator back-calculated from MirtLab's curve and from the vendor's
    /// curve before the run needs review; default 2 (MirtLab policy: the coefficients' printed rounding explains
    /// well under 1%, so more means the two curves are not the same fit).
    /// </value>
    public decimal VendorCurveAgreementPercent { get; init; } = 2m;

    /// <value>
    /// The lab's validated model per analyte (ICH M10 §3.2.4: the simplest adequate model, its weighting stated).
    /// When set, MirtLab fits it whatever the export says, and a vendor curve with another model or weighting asks
    /// for review. Default: none, so MirtLab fits the model the export states; an export that states none (MassHunter,
    /// ChemStation) is then not re-evaluated rather than judged on a guessed model.
    /// </value>
    public IReadOnlyList<CalibrationModelSetting> CalibrationModels { get; init; } = [];

    /// <value>Lowest internal-standard response of a sample, in percent of the calibrators' and QCs' mean; default 50 (FDA Q&amp;A 2019 / lab SOP).</value>
    public decimal InternalStandardLowPercent { get; init; } = 50m;

    /// <value>Highest internal-standard response, in percent of the calibrators' and QCs' mean; default 150 (FDA Q&amp;A 2019 / lab SOP).</value>
    public decimal InternalStandardHighPercent { get; init; } = 150m;

    /// <value>
    /// Largest internal-standard drift across the run, in percent of the mean: the regression line of IS response
    /// on injection order, from first to last injection; default 20 (lab SOP; FDA Q&amp;A 2019 asks for trends to be
    /// looked at but sets no number).
    /// </value>
    public decimal InternalStandardDriftPercent { get; init; } = 20m;

    /// <value>Retention-time window around the calibrators' mean, in percent; default 2.5 (CLSI C62).</value>
    public decimal RetentionTimeTolerancePercent { get; init; } = 2.5m;

    /// <value>Ion-ratio window around the calibrators' mean, in percent; default 20 (CLSI C62).</value>
    public decimal IonRatioTolerancePercent { get; init; } = 20m;

    /// <value>Largest analyte response in the blank after the highest calibrator, in percent of the LLOQ calibrator's; default 20 (ICH M10 §3.2.6).</value>
    public decimal CarryOverAnalytePercentOfLloq { get; init; } = 20m;

    /// <value>Largest internal-standard response in a double blank after the highest calibrator, in percent of the mean IS response; default 5 (ICH M10 §3.2.6).</value>
    public decimal CarryOverInternalStandardPercent { get; init; } = 5m;

    /// <value>
    /// How many accepted observations of a QC level establish its mean and SD when no target is configured: the
    /// last N; with fewer the targets are not yet established. Default 20 (CLSI C24).
    /// </value>
    public int QcTargetObservations { get; init; } = 20;

    /// <value>The Westgard rules applied; default all of 1-2s (warning), 1-3s, 2-2s, R-4s, 4-1s, 10-x (westgard.com).</value>
    public IReadOnlyList<string> WestgardRules { get; init; } = AllWestgardRules;

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

    /// <summary>The lab's validated model for an analyte, if one is configured and readable.</summary>
    public CalibrationModel? ConfiguredModel(string analyteCode) =>
        CalibrationModels.FirstOrDefault(m => string.Equals(m.Analyte, analyteCode, StringComparison.Ordinal))?.ToModel();

    /// <summary>Whether a Westgard rule is switched on.</summary>
    public bool Applies(string westgardRule) => WestgardRules.Contains(westgardRule, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A calibration model as configuration writes it: <c>{"analyte": "mirtazapine", "fit": "linear", "weighting": "1/x2"}</c>.</summary>
public sealed record CalibrationModelSetting
{
    /// <summary>The catalog code of the analyte.</summary>
    public string? Analyte { get; init; }

    /// <summary><c>linear</c> or <c>quadratic</c>.</summary>
    public string? Fit { get; init; }

    /// <summary><c>none</c>, <c>1/x</c>, <c>1/x2</c>, <c>1/y</c> or <c>1/y2</c>.</summary>
    public string? Weighting { get; init; }

    /// <summary>Where the model is validated (a validation report), for the audit.</summary>
    public string? Source { get; init; }

    public CalibrationModel? ToModel() =>
        CalibrationModel.TryParseFit(Fit, out var fit) && CalibrationModel.TryParseWeighting(Weighting, out var weighting)
            ? new CalibrationModel(fit, weighting)
            : null;
}
