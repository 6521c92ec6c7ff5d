using System.Text.Json.Serialization;
using MirtLab.Core.Catalog;

namespace MirtLab.Core.Runs;

/// <summary>The verdict on one analyte in one run.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    Accepted,
    NeedsReview,
    Rejected,
    NotEvaluated,
}

/// <summary>How one check came out: passing, a warning that needs review, or a failure that rejects.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<CheckOutcome>))]
public enum CheckOutcome
{
    Pass,
    Review,
    Fail,
}

/// <summary>What a check that does not pass holds back.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<CheckScope>))]
public enum CheckScope
{
    /// <summary>The analyte's run: a Fail rejects it, a Review puts it on hold; either way every patient result of the analyte is held.</summary>
    Run,

    /// <summary>Single injections: the patient results the check names are held one by one; the run's outcome is untouched.</summary>
    Samples,

    /// <summary>Information for QA (a Westgard warning, a check that could not be made): holds nothing.</summary>
    Advisory,
}

/// <summary>One acceptance check with what it found, the thresholds it applied and what it holds back.</summary>
public sealed record RunCheck(string Id, CheckOutcome Outcome, string Message, string Thresholds, CheckScope Scope = CheckScope.Run)
{
    /// <summary>True when the check decides the run's outcome (a run-scope Fail or Review).</summary>
    [JsonIgnore]
    public bool AffectsRun => Scope == CheckScope.Run && Outcome != CheckOutcome.Pass;
}

/// <summary>A patient result the run evaluation holds on its own (its internal standard, retention time or ion ratio), with why.</summary>
public sealed record SampleHold(string ResultKey, string SampleName, string CheckId, string Reason);

/// <summary>
/// One calibrator as evaluated. <see cref="Measured"/> is the back-calculated concentration the accuracy was judged
/// on: from MirtLab's own fit when it could be made (<see cref="MeasuredBy"/> <c>mirtlab</c>), otherwise the vendor's
/// calculated concentration (<c>vendor</c>). Concentrations are in the analyte's unit; responses in the fit's.
/// </summary>
public sealed record CalibratorPoint
{
    public required string ResultKey { get; init; }

    public required string SampleName { get; init; }

    public required decimal Nominal { get; init; }

    public decimal? Measured { get; init; }

    public decimal? AccuracyPercent { get; init; }

    public required decimal TolerancePercent { get; init; }

    public required bool Passed { get; init; }

    /// <summary>Whether the vendor used the calibrator in its curve (Analyst <c>Use Record</c>); null when the export does not say.</summary>
    public bool? UsedByVendor { get; init; }

    /// <summary><c>mirtlab</c> or <c>vendor</c>: whose back-calculation <see cref="Measured"/> is.</summary>
    public string MeasuredBy { get; init; } = "vendor";

    /// <summary>The response MirtLab's fit used (analyte/IS area ratio, or area or height without an internal standard).</summary>
    public decimal? Response { get; init; }

    /// <summary>The response MirtLab's curve predicts at the nominal concentration.</summary>
    public decimal? FittedResponse { get; init; }

    /// <summary>Response minus fitted response (for a residual plot).</summary>
    public decimal? ResponseResidual { get; init; }

    /// <summary>True when the calibrator is one of the points MirtLab's fit was made from.</summary>
    public bool InFit { get; init; }

    /// <summary>The vendor's calculated concentration, as exported.</summary>
    public decimal? VendorMeasured { get; init; }

    /// <summary>The back-calculated concentration from the vendor's curve as the export states it.</summary>
    public decimal? VendorCurveMeasured { get; init; }

    /// <summary>
    /// MirtLab's back-calculated concentration minus the vendor's, in percent of the vendor's: from the vendor's curve
    /// when the export states one MirtLab can use, else the vendor's calculated concentration.
    /// </summary>
    public decimal? CurveDifferencePercent { get; init; }

    /// <summary>Why the calibrator does not count or could not be back-calculated, in words.</summary>
    public string? Note { get; init; }
}

/// <summary>One QC as evaluated.</summary>
public sealed record QcPoint(
    string ResultKey,
    string SampleName,
    string Level,
    decimal Nominal,
    decimal? Measured,
    decimal? AccuracyPercent,
    bool Passed);

/// <summary>The reportable (calibrated) range of a run: the lowest and highest passing calibrator levels.</summary>
public sealed record ReportableRange(decimal Lloq, decimal Uloq);

/// <summary>
/// MirtLab's own calibration curve of one analyte in one run, for QA pages to plot: the model, the coefficients
/// (ascending power, concentration in <see cref="ConcentrationUnit"/>, the analyte's unit the calibrators' nominal
/// values are in), and r² computed the way Analyst does for a weighted fit (weighted sums about the weighted mean).
/// </summary>
public sealed record CalibrationFit
{
    public required FitModel Fit { get; init; }

    public required Weighting Weighting { get; init; }

    /// <summary>Where the model came from: <c>vendor</c> (the export's curve) or <c>configuration</c> (the lab's validated model for the analyte).</summary>
    public required string ModelSource { get; init; }

    /// <summary><c>area ratio</c>, <c>area</c> or <c>height</c>.</summary>
    public required string Response { get; init; }

    public string? ConcentrationUnit { get; init; }

    public required IReadOnlyList<decimal> Coefficients { get; init; }

    public decimal? RSquared { get; init; }

    /// <summary>r² from the vendor's correlation coefficient (Analyst writes r).</summary>
    public decimal? VendorRSquared { get; init; }

    public required int PointsInFit { get; init; }

    /// <summary>The lowest and highest nominal concentration in the fit, in <see cref="ConcentrationUnit"/>.</summary>
    public required decimal LowestNominal { get; init; }

    public required decimal HighestNominal { get; init; }
}

/// <summary>
/// One injection of the analyte as the LC-MS/MS checks saw it, in injection order: internal-standard response
/// in percent of the calibrators' and QCs' mean, retention time and ion ratio against the calibrators' means.
/// </summary>
public sealed record InjectionPoint
{
    public required int Order { get; init; }

    public required string ResultKey { get; init; }

    public required string SampleName { get; init; }

    /// <summary>The sample type code (<c>standard</c>, <c>qc</c>, <c>unknown</c>, <c>blank</c>…).</summary>
    public required string SampleType { get; init; }

    public DateTime? AcquiredLocal { get; init; }

    public required int Line { get; init; }

    public decimal? InternalStandardArea { get; init; }

    public decimal? InternalStandardPercent { get; init; }

    public decimal? RetentionTime { get; init; }

    public decimal? RetentionTimeDeviationPercent { get; init; }

    public decimal? IonRatio { get; init; }

    public decimal? IonRatioDeviationPercent { get; init; }
}

/// <summary>One QC observation on a Levey-Jennings chart: this run's or an earlier accepted run's.</summary>
public sealed record QcChartPoint(
    string RunKey,
    DateTimeOffset? AcquiredUtc,
    string? SampleName,
    decimal Level,
    decimal Value,
    decimal? ZScore,
    bool ThisRun);

/// <summary>One QC level's Levey-Jennings chart: the target (mean, SD) and where it came from, the history and this run.</summary>
public sealed record QcLevelChart
{
    /// <summary>The nominal concentration in the analyte's unit.</summary>
    public required decimal Level { get; init; }

    /// <summary>The level's name in the run (<c>LQC</c>, or the nominal as text).</summary>
    public required string Name { get; init; }

    public decimal? Mean { get; init; }

    public decimal? Sd { get; init; }

    /// <summary>The configured target's source, or <c>history: last N accepted observations</c>; null when not established.</summary>
    public string? TargetSource { get; init; }

    /// <summary>Why no target is established, when none is.</summary>
    public string? NoTargetReason { get; init; }

    public required IReadOnlyList<QcChartPoint> Points { get; init; }
}

/// <summary>A Westgard rule that fired (westgard.com multirules), with the observations involved and their z-scores.</summary>
public sealed record WestgardViolation(string Rule, CheckOutcome Outcome, string Message, IReadOnlyList<QcChartPoint> Observations);

/// <summary>Everything MirtLab decided about one analyte of one run.</summary>
public sealed class AnalyteRunEvaluation
{
    /// <summary>The catalog code, or the compound name as written for a compound not in the catalog.</summary>
    public required string AnalyteCode { get; init; }

    /// <summary>The catalog analyte; null for a compound not in the catalog (its run is still judged).</summary>
    public Analyte? Analyte { get; init; }

    /// <summary>The unit nominal and measured concentrations are compared in.</summary>
    public string? Unit { get; init; }

    /// <summary>The name to show: the catalog name, or the compound as written.</summary>
    public string DisplayName => Analyte?.Name ?? AnalyteCode;

    public required RunOutcome Outcome { get; init; }

    public IReadOnlyList<RunCheck> Checks { get; init; } = [];

    public IReadOnlyList<CalibratorPoint> Calibrators { get; init; } = [];

    public IReadOnlyList<QcPoint> Qcs { get; init; } = [];

    public ReportableRange? ReportableRange { get; init; }

    public VendorCalibration? VendorCalibration { get; init; }

    /// <summary>MirtLab's own fit of the calibrators; null when it could not be made (the checks say why).</summary>
    public CalibrationFit? Fit { get; init; }

    /// <summary>Every injection of the analyte with its internal-standard, retention-time and ion-ratio figures.</summary>
    public IReadOnlyList<InjectionPoint> Injections { get; init; } = [];

    /// <summary>Patient results held by a per-injection check, each with its reason.</summary>
    public IReadOnlyList<SampleHold> SampleHolds { get; init; } = [];

    /// <summary>Levey-Jennings charts, one per QC level.</summary>
    public IReadOnlyList<QcLevelChart> QcCharts { get; init; } = [];

    public IReadOnlyList<WestgardViolation> WestgardViolations { get; init; } = [];

    /// <summary>The checks that decide the run (run scope) and did not pass, for hold reasons.</summary>
    public IEnumerable<RunCheck> Problems => Checks.Where(c => c.AffectsRun);

    /// <summary>Why a patient result is held by a per-injection check of this run.</summary>
    public IEnumerable<SampleHold> HoldsFor(string resultKey) => SampleHolds.Where(h => string.Equals(h.ResultKey, resultKey, StringComparison.Ordinal));
}
