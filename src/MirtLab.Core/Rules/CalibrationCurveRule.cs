using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>MirtLab's figures for one calibrator from its own curve and from the vendor's.</summary>
internal sealed record CalibratorFigures(
    decimal? BackCalculated,
    decimal? Response,
    decimal? FittedResponse,
    decimal? Residual,
    bool InFit,
    decimal? VendorCurveMeasured,
    decimal? DifferencePercent,
    string? Note);

/// <summary>The outcome of re-fitting one analyte's calibrators: the curve, each calibrator's figures, and the checks.</summary>
internal sealed record CalibrationCurveResult(
    CalibrationFit? Fit,
    bool ReEvaluated,
    IReadOnlyDictionary<string, CalibratorFigures> Figures,
    IReadOnlyList<RunCheck> Checks)
{
    public static CalibrationCurveResult None { get; } = new(null, false, new Dictionary<string, CalibratorFigures>(), []);
}

/// <summary>
/// Fits the calibration curve again from the calibrators' responses (analyte/IS area ratio when the method has an
/// internal standard, else area or height as the vendor's curve says), so calibrator accuracy is judged on a curve
/// MirtLab computed itself (ICH M10 §3.2.4: back-calculated concentrations), and compares it with the vendor's.
/// The model is the lab's configured one for the analyte, else the one the export states; with neither, MirtLab does not guess.
/// </summary>
internal static class CalibrationCurveRule
{
    public static CalibrationCurveResult Evaluate(
        string analyteCode,
        IReadOnlyList<EvaluatedResult> calibrators,
        VendorCalibration? vendor,
        string? unmodelledVendorRegression,
        bool analyteHasInternalStandard,
        AcceptanceCriteria criteria)
    {
        calibrators = calibrators.Where(c => c.Nominal is > 0m && c.Raw.Nominal is > 0m).ToList();
        if (calibrators.Count == 0)
        {
            return CalibrationCurveResult.None;
        }

        var checks = new List<RunCheck>();
        var configured = criteria.ConfiguredModel(analyteCode);
        CalibrationModel? vendorModel = vendor is null ? null : new CalibrationModel(vendor.Fit, vendor.Weighting);
        if (configured is not null && (unmodelledVendorRegression is not null || (vendorModel is not null && vendorModel != configured)))
        {
            checks.Add(new RunCheck(
                "calibration.model",
                CheckOutcome.Review,
                $"the vendor fitted {(vendorModel?.ToString() ?? $"'{unmodelledVendorRegression}'")}; the lab's validated model for {analyteCode} is {configured}",
                $"configured model: {configured}"));
        }

        if (configured is null && unmodelledVendorRegression is not null)
        {
            return NotReEvaluated(checks, $"the vendor's regression ({unmodelledVendorRegression}) is not one MirtLab models");
        }

        if (configured is null && vendorModel is null)
        {
            return NotReEvaluated(checks, $"the export states no calibration curve and no model is configured for {analyteCode} (acceptance.calibrationModels)");
        }

        var (model, source) = configured is not null ? (configured, "configuration") : (vendorModel!, "vendor");
        if (!model.IsSupported)
        {
            return NotReEvaluated(checks, $"{(source == "vendor" ? "the vendor's" : "the configured")} weighting {CalibrationModel.Describe(model.Weighting)} is not one MirtLab re-evaluates (none, 1/x, 1/x², 1/y, 1/y²)");
        }

        var usesInternalStandard = vendor?.InternalStandard is not null || analyteHasInternalStandard
            || calibrators.Any(c => !string.IsNullOrWhiteSpace(c.Raw.InternalStandard) || c.Raw.InternalStandardArea is not null);
        var useHeight = string.Equals(vendor?.Response, "height", StringComparison.OrdinalIgnoreCase);
        if (usesInternalStandard && useHeight)
        {
            return NotReEvaluated(checks, "the vendor's curve uses analyte/IS height ratios and the export carries no internal-standard height");
        }

        var responseName = usesInternalStandard ? "area ratio" : useHeight ? "height" : "area";
        var responses = calibrators.ToDictionary(c => c.ResultKey, c => Response(c.Raw, usesInternalStandard, useHeight), StringComparer.Ordinal);
        var inFit = calibrators.Where(c => c.Raw.UsedInCalibration != false).ToList();
        var missing = inFit.Where(c => responses[c.ResultKey] is null).ToList();
        if (missing.Count > 0)
        {
            var what = usesInternalStandard ? "analyte or internal-standard area" : responseName;
            return NotReEvaluated(checks, $"no {what} for {Names(missing)}, so there are no responses to fit");
        }

        // Fitted in the analyte's unit, so the coefficients plot against the calibrators' nominal values; the vendor's
        // curve is in the export's unit, so its back-calculations are converted (one factor per calibrator).
        var points = inFit.Select(c => ((double)c.Nominal!.Value, responses[c.ResultKey]!.Value)).ToList();
        var (curve, problem) = CalibrationRegression.Fit(points, model);
        if (curve is null)
        {
            return NotReEvaluated(checks, problem!);
        }

        var low = points.Min(p => p.Item1);
        var high = points.Max(p => p.Item1);
        var lowRaw = inFit.Min(c => (double)c.Raw.Nominal!.Value);
        var highRaw = inFit.Max(c => (double)c.Raw.Nominal!.Value);
        var coefficients = curve.Coefficients;
        var vendorCoefficients = vendor is not null && vendorModel!.IsSupported && vendor.Coefficients.Count == (vendor.Fit == FitModel.Quadratic ? 3 : 2)
            ? vendor.Coefficients
            : null;

        var figures = new Dictionary<string, CalibratorFigures>(StringComparer.Ordinal);
        var differences = new List<(EvaluatedResult Calibrator, double Mine, double Vendor, double Percent)>();
        foreach (var c in calibrators)
        {
            var nominal = (double)c.Nominal!.Value;
            var toUnit = (double)(c.Nominal!.Value / c.Raw.Nominal!.Value);
            var isInFit = c.Raw.UsedInCalibration != false;
            string? note = isInFit ? null : "excluded from the vendor's curve";
            if (responses[c.ResultKey] is not double y)
            {
                figures[c.ResultKey] = new CalibratorFigures(null, null, null, null, false, null, null, note ?? "no response");
                continue;
            }

            var fitted = CalibrationRegression.Predict(coefficients, nominal);
            var mine = CalibrationRegression.BackCalculate(coefficients, y, low, high);
            if (mine is null)
            {
                note ??= "its response lies outside MirtLab's curve";
            }

            // Compared with the vendor's curve when the export states a usable one, else with the vendor's calculated
            // concentrations (the numbers its software reported from whatever curve it used).
            decimal? vendorCurveMeasured = null;
            decimal? difference = null;
            double? theirs = vendorCoefficients is not null
                ? CalibrationRegression.BackCalculate(vendorCoefficients, y, lowRaw, highRaw) * toUnit
                : (double?)c.UnroundedNumber;
            if (vendorCoefficients is not null)
            {
                vendorCurveMeasured = Reported.Significant(theirs);
            }

            if (mine is double m && theirs is double t && t != 0d)
            {
                var percent = (m - t) / Math.Abs(t) * 100d;
                difference = Reported.Percent(percent);
                differences.Add((c, m, t, percent));
            }

            figures[c.ResultKey] = new CalibratorFigures(
                Reported.Significant(mine),
                Reported.Significant(y),
                Reported.Significant(fitted),
                Reported.Significant(y - fitted),
                isInFit,
                vendorCurveMeasured,
                difference,
                note);
        }

        var rSquared = curve.RSquared;
        var vendorRSquared = vendor?.CorrelationCoefficient is double r ? r * r : (double?)null;
        var modelWords = $"{model} ({(source == "vendor" ? "the vendor's model" : "the lab's configured model")})";
        var excluded = calibrators.Where(c => c.Raw.UsedInCalibration == false).ToList();
        checks.Add(new RunCheck(
            "calibration.fit",
            CheckOutcome.Pass,
            FormattableString.Invariant($"MirtLab fitted {modelWords} to {points.Count} calibrators ({responseName}): {Equation(coefficients)}, r² {Describe(rSquared)}") +
                (excluded.Count > 0 ? $"; excluded by the vendor and left out: {Names(excluded)}" : string.Empty),
            $"model {model}"));

        if (CalibrationRegression.TurnsWithin(coefficients, low, high))
        {
            checks.Add(new RunCheck(
                "calibration.monotonic",
                CheckOutcome.Review,
                FormattableString.Invariant($"MirtLab's quadratic turns at {Reported.Text(-coefficients[1] / (2d * coefficients[2]))} inside the calibrated range {Reported.Text(low)}–{Reported.Text(high)}: one response there means two concentrations"),
                "a monotonic curve over the calibrated range"));
        }

        var rOk = rSquared is double r2 && r2 >= (double)criteria.MinRSquared;
        checks.Add(new RunCheck(
            "calibration.r-squared",
            rOk ? CheckOutcome.Pass : CheckOutcome.Review,
            FormattableString.Invariant($"r² {Describe(rSquared)} of MirtLab's fit{(rOk ? string.Empty : $" is below {criteria.MinRSquared}")}; the vendor's: ") +
                (vendorRSquared is double v ? FormattableString.Invariant($"r² {Describe(v)} (r {vendor!.CorrelationCoefficient:0.0000})") : "not stated"),
            FormattableString.Invariant($"r² ≥ {criteria.MinRSquared} (CLSI C62; ICH M10 sets no r² limit)")));

        if (differences.Count > 0)
        {
            var theirs = vendorCoefficients is not null ? "the vendor's curve" : "the vendor's calculated concentrations";
            var limit = (double)criteria.VendorCurveAgreementPercent;
            var unitText = calibrators[0].Unit is { } u ? " " + u.Code : string.Empty;
            var apart = differences.Where(d => Math.Abs(d.Percent) > limit).ToList();
            var largest = differences.MaxBy(d => Math.Abs(d.Percent));
            checks.Add(new RunCheck(
                "calibration.vendor-agreement",
                apart.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Review,
                apart.Count == 0
                    ? $"MirtLab's curve and {theirs} agree within {Reported.Text(limit)}% at every calibrator (largest difference: {largest.Calibrator.Raw.SampleName} {Reported.SignedPercent(largest.Percent)})"
                    : $"MirtLab's curve and {theirs} are more than {Reported.Text(limit)}% apart at {apart.Count} calibrator(s): {string.Join(", ", apart.Select(d => $"{d.Calibrator.Raw.SampleName} (nominal {Reported.Text((double)d.Calibrator.Nominal!.Value)}) {Reported.Text(d.Mine)}{unitText} from MirtLab's curve vs {Reported.Text(d.Vendor)}{unitText} ({Reported.SignedPercent(d.Percent)})"))}",
                FormattableString.Invariant($"≤{criteria.VendorCurveAgreementPercent}% between MirtLab's and the vendor's back-calculation at each calibrator")));
        }

        var fit = new CalibrationFit
        {
            Fit = model.Fit,
            Weighting = model.Weighting,
            ModelSource = source,
            Response = responseName,
            ConcentrationUnit = calibrators[0].Unit?.Code,
            Coefficients = coefficients.Select(k => Reported.Significant(k, 10) ?? 0m).ToList(),
            RSquared = Reported.Significant(rSquared, 6),
            VendorRSquared = Reported.Significant(vendorRSquared, 6),
            PointsInFit = points.Count,
            LowestNominal = (decimal)low,
            HighestNominal = (decimal)high,
        };
        return new CalibrationCurveResult(fit, true, figures, checks);
    }

    private static double? Response(InstrumentResult row, bool usesInternalStandard, bool useHeight)
    {
        if (usesInternalStandard)
        {
            return row.Area is double area && row.InternalStandardArea is double isArea && isArea > 0d ? area / isArea : null;
        }

        return useHeight ? row.Height : row.Area;
    }

    private static CalibrationCurveResult NotReEvaluated(List<RunCheck> checks, string reason)
    {
        // Advisory: the guideline criterion (ICH M10 §3.2.4) is still applied, to the vendor's back-calculated
        // concentrations; what is missing is MirtLab's independent verification of them.
        checks.Add(new RunCheck(
            "calibration.fit",
            CheckOutcome.Review,
            $"not re-evaluated: {reason}; calibrator accuracy is judged on the vendor's calculated concentrations",
            "linear or quadratic, weighting none, 1/x, 1/x², 1/y or 1/y², from the calibrators' responses",
            CheckScope.Advisory));
        return CalibrationCurveResult.None with { Checks = checks };
    }

    private static string Equation(IReadOnlyList<double> c) =>
        "y = " + Reported.Text(c[0], 6) + Term(c[1], "x") + (c.Count == 3 ? Term(c[2], "x²") : string.Empty);

    private static string Term(double k, string x) => (k < 0 ? " - " : " + ") + Reported.Text(Math.Abs(k), 6) + x;

    private static string Describe(double? rSquared) => rSquared is double r ? r.ToString("0.00000", System.Globalization.CultureInfo.InvariantCulture) : "undefined";

    private static string Names(IEnumerable<EvaluatedResult> rows) => string.Join(", ", rows.Select(r => r.Raw.SampleName));
}
