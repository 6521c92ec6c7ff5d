using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// Calibration-curve acceptance of one analyte in one run (ICH M10 §3.2.4, FDA BMV 2018): back-calculated
/// accuracy per calibrator within the tolerance (wider at the LLOQ), enough calibrators and enough levels
/// passing. The lowest and highest passing levels are the run's reportable range. The back-calculated values are
/// MirtLab's own (<see cref="CalibrationCurveRule"/>) when it could fit the curve, else the vendor's.
/// </summary>
public static class CalibrationAcceptance
{
    public static (IReadOnlyList<CalibratorPoint> Points, IReadOnlyList<RunCheck> Checks, ReportableRange? Range) Evaluate(
        IReadOnlyList<EvaluatedResult> calibrators, AcceptanceCriteria criteria) =>
        Evaluate(calibrators, criteria, CalibrationCurveResult.None);

    internal static (IReadOnlyList<CalibratorPoint> Points, IReadOnlyList<RunCheck> Checks, ReportableRange? Range) Evaluate(
        IReadOnlyList<EvaluatedResult> calibrators, AcceptanceCriteria criteria, CalibrationCurveResult curve)
    {
        var withNominal = calibrators.Where(c => c.Nominal is > 0m).ToList();
        if (withNominal.Count == 0)
        {
            return ([], [], null);
        }

        var lowest = withNominal.Min(c => c.Nominal!.Value);
        var points = withNominal
            .Select(c =>
            {
                var nominal = c.Nominal!.Value;
                var tolerance = nominal == lowest ? criteria.LloqTolerancePercent : criteria.CalibratorTolerancePercent;
                var figures = curve.ReEvaluated ? curve.Figures.GetValueOrDefault(c.ResultKey) : null;
                var measured = curve.ReEvaluated ? figures?.BackCalculated : c.UnroundedNumber;
                var accuracy = Accuracy(measured, nominal);

                // ICH M10 §3.3.2: a calibrator outside its tolerance is rejected and the curve re-fitted without it;
                // one the vendor left out of its curve is likewise no passing calibrator, whatever it back-calculates to.
                var excluded = c.Raw.UsedInCalibration == false;
                var passed = !excluded && accuracy is decimal a && Math.Abs(a - 100m) <= tolerance;
                return new CalibratorPoint
                {
                    ResultKey = c.ResultKey,
                    SampleName = c.Raw.SampleName,
                    Nominal = nominal,
                    Measured = measured,
                    AccuracyPercent = accuracy,
                    TolerancePercent = tolerance,
                    Passed = passed,
                    UsedByVendor = c.Raw.UsedInCalibration,
                    MeasuredBy = curve.ReEvaluated ? "mirtlab" : "vendor",
                    Response = figures?.Response,
                    FittedResponse = figures?.FittedResponse,
                    ResponseResidual = figures?.Residual,
                    InFit = figures?.InFit ?? false,
                    VendorMeasured = c.UnroundedNumber,
                    VendorCurveMeasured = figures?.VendorCurveMeasured,
                    CurveDifferencePercent = figures?.DifferencePercent,
                    Note = figures?.Note ?? (excluded ? "excluded from the vendor's curve" : null),
                };
            })
            .ToList();

        var checks = new List<RunCheck>();
        var passedCount = points.Count(p => p.Passed);
        var required = AcceptanceCriteria.Required(criteria.MinCalibratorPassFraction, points.Count);
        var judgedOn = curve.ReEvaluated ? "back-calculated from MirtLab's fit" : "the vendor's calculated concentrations";
        var accuracyThresholds = Invariant($"±{criteria.CalibratorTolerancePercent}% (±{criteria.LloqTolerancePercent}% at the LLOQ); ≥{criteria.MinCalibratorPassFraction:P0} of calibrators");
        var failedNames = points.Where(p => !p.Passed).Select(p => Invariant($"{p.SampleName} ({Describe(p.AccuracyPercent)}{(p.UsedByVendor == false ? ", excluded by the vendor" : string.Empty)})")).ToList();
        checks.Add(new RunCheck(
            "calibration.accuracy",
            passedCount >= required ? CheckOutcome.Pass : CheckOutcome.Fail,
            passedCount >= required
                ? Invariant($"{passedCount} of {points.Count} calibrators within tolerance ({judgedOn})") + (failedNames.Count > 0 ? "; not passing: " + string.Join(", ", failedNames) : string.Empty)
                : Invariant($"only {passedCount} of {points.Count} calibrators within tolerance ({judgedOn}), {required} needed; failing: {string.Join(", ", failedNames)}"),
            accuracyThresholds));

        var levels = points.GroupBy(p => p.Nominal).OrderBy(g => g.Key).ToList();
        var passingLevels = levels.Where(g => g.Any(p => p.Passed)).Select(g => g.Key).ToList();
        checks.Add(new RunCheck(
            "calibration.levels",
            passingLevels.Count >= criteria.MinCalibrationLevels ? CheckOutcome.Pass : CheckOutcome.Fail,
            Invariant($"{passingLevels.Count} of {levels.Count} concentration levels have a passing calibrator"),
            Invariant($"≥{criteria.MinCalibrationLevels} levels")));

        ReportableRange? range = passingLevels.Count > 0 ? new ReportableRange(passingLevels[0], passingLevels[^1]) : null;
        if (range is not null && range.Lloq != lowest)
        {
            checks.Add(new RunCheck(
                "calibration.lloq",
                CheckOutcome.Review,
                Invariant($"the lowest calibrator level {lowest} failed; the reportable range starts at {range.Lloq}"),
                Invariant($"±{criteria.LloqTolerancePercent}% at the LLOQ")));
        }

        return (points, checks, range);
    }

    internal static decimal? Accuracy(decimal? measured, decimal nominal) =>
        measured is decimal m && nominal != 0m ? Math.Round(m / nominal * 100m, 1, MidpointRounding.AwayFromZero) : null;

    internal static string Describe(decimal? accuracy) =>
        accuracy is decimal a ? a.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "no value";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
