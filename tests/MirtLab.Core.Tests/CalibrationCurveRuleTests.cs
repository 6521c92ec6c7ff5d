using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

public sealed class CalibrationCurveRuleTests
{
    [Fact]
    public void CurveOnTheVendorsLine_IsReproduced_AndTheRunIsAccepted()
    {
        var run = new Plate().Patient("P-1 trough", 46.3m).Add("Blank after ULOQ", SampleType.Blank, null).Evaluate();
        var a = run.Analytes.Single();
        Assert.Equal(RunOutcome.Accepted, a.Outcome);
        Assert.Equal(0.002m, Math.Round(a.Fit!.Coefficients[0], 9));
        Assert.Equal(0.02m, Math.Round(a.Fit.Coefficients[1], 9));
        Assert.Equal(("vendor", "area ratio", 8), (a.Fit.ModelSource, a.Fit.Response, a.Fit.PointsInFit));
        Assert.All(a.Calibrators, c => Assert.Equal(("mirtlab", 100.0m), (c.MeasuredBy, c.AccuracyPercent!.Value)));
        Assert.Equal(CheckOutcome.Pass, Check(a, "calibration.vendor-agreement").Outcome);
        Assert.Equal(ResultStatus.Final, run.PatientResults.Single().Status);
    }

    [Fact]
    public void Accuracy_IsJudgedOnMirtLabsBackCalculation_NotOnTheVendorsNumber()
    {
        // The vendor's column says 9.0 for the 5 ng/mL calibrator (180%); its peak areas say 5.0.
        var plate = new Plate().Change("CAL 5", r => Plate.Copy(r, value: 9.0m));
        var a = plate.Evaluate().Analytes.Single();
        var cal = a.Calibrators.Single(c => c.SampleName == "CAL 5");
        Assert.True(cal.Passed);
        Assert.Equal((5.0m, 9.0m), (Math.Round(cal.Measured!.Value, 6), cal.VendorMeasured!.Value));
        Assert.Equal(RunOutcome.Accepted, a.Outcome);
    }

    [Fact]
    public void VendorCurveFivePercentSteeper_AsksForReview_NamingEveryCalibratorAndBothValues()
    {
        var plate = new Plate();
        plate.Vendor = plate.Vendor with { Coefficients = [0.002, 0.021] };
        var a = plate.Evaluate().Analytes.Single();
        var check = Check(a, "calibration.vendor-agreement");
        Assert.Equal((CheckOutcome.Review, CheckScope.Run), (check.Outcome, check.Scope));
        Assert.Contains("the vendor's curve are more than 2% apart at 8 calibrator(s): CAL 1 (nominal 1) 1 ng/mL from MirtLab's curve vs 0.9524 ng/mL (+5.0%)", check.Message, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.NeedsReview, a.Outcome);
        Assert.All(a.Calibrators, c => Assert.Equal(5.0m, c.CurveDifferencePercent));
    }

    [Theory]
    [InlineData(1.0198, CheckOutcome.Pass)]    // a slope 1.98% steeper: every calibrator 1.98% apart
    [InlineData(1.0205, CheckOutcome.Review)]  // 2.05%
    public void VendorAgreement_IsJudgedAtTheConfiguredPercent(double slopeFactor, CheckOutcome expected)
    {
        var plate = new Plate();
        plate.Vendor = plate.Vendor with { Coefficients = [0.002, 0.02 * slopeFactor] };
        Assert.Equal(expected, Check(plate.Evaluate().Analytes.Single(), "calibration.vendor-agreement").Outcome);
    }

    [Fact]
    public void VendorWeightingOtherThanTheLabsValidatedModel_AsksForReview()
    {
        var rules = Plate.With(new AcceptanceCriteria { CalibrationModels = [new() { Analyte = "mirtazapine", Fit = "linear", Weighting = "1/x" }] });
        var a = new Plate().Evaluate(rules).Analytes.Single();
        var check = Check(a, "calibration.model");
        Assert.Equal(CheckOutcome.Review, check.Outcome);
        Assert.Equal("the vendor fitted linear, 1/x²; the lab's validated model for mirtazapine is linear, 1/x", check.Message);
        Assert.Equal(("configuration", Weighting.OneOverX), (a.Fit!.ModelSource, a.Fit.Weighting));
    }

    [Fact]
    public void NoCurveInTheExportAndNoConfiguredModel_IsNotReEvaluated_RatherThanJudgedOnAGuess()
    {
        var run = new Plate().Patient("P-1 trough", 46.3m).Evaluate(info: new RunInfo());
        var a = run.Analytes.Single();
        var check = Check(a, "calibration.fit");
        Assert.Equal((CheckOutcome.Review, CheckScope.Advisory), (check.Outcome, check.Scope));
        Assert.StartsWith("not re-evaluated: the export states no calibration curve and no model is configured for mirtazapine (acceptance.calibrationModels)", check.Message, StringComparison.Ordinal);
        Assert.Null(a.Fit);
        Assert.Equal(RunOutcome.Accepted, a.Outcome);
    }

    [Fact]
    public void NoCurveInTheExport_TheConfiguredModelIsFitted_AndComparedWithTheVendorsCalculatedConcentrations()
    {
        // The vendor's numbers say 5% more than the peak areas at every calibrator: its software used another curve.
        var rules = Plate.With(new AcceptanceCriteria { CalibrationModels = [new() { Analyte = "mirtazapine", Fit = "linear", Weighting = "1/x2" }] });
        var plate = new Plate().ChangeAll((r, _) => r.SampleType == SampleType.Standard ? Plate.Copy(r, value: r.Value.Number * 1.05m) : r);
        var a = plate.Evaluate(rules, info: new RunInfo()).Analytes.Single();
        Assert.Equal("configuration", a.Fit!.ModelSource);
        var check = Check(a, "calibration.vendor-agreement");
        Assert.Equal(CheckOutcome.Review, check.Outcome);
        Assert.StartsWith("MirtLab's curve and the vendor's calculated concentrations are more than 2% apart at 8 calibrator(s): CAL 1 (nominal 1) 1 ng/mL from MirtLab's curve vs 1.05 ng/mL (-4.8%)", check.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Weighting.LnX)]
    [InlineData(Weighting.LnY)]
    public void LogWeighting_IsNotReEvaluated_AccuracyFallsBackToTheVendor_AndTheRunIsNotHeldForIt(Weighting weighting)
    {
        var plate = new Plate().Patient("P-1 trough", 46.3m).Add("Blank after ULOQ", SampleType.Blank, null);
        plate.Vendor = plate.Vendor with { Weighting = weighting };
        var run = plate.Evaluate();
        var a = run.Analytes.Single();
        var check = Check(a, "calibration.fit");
        Assert.Equal((CheckOutcome.Review, CheckScope.Advisory), (check.Outcome, check.Scope));
        Assert.StartsWith("not re-evaluated:", check.Message, StringComparison.Ordinal);
        Assert.Null(a.Fit);
        Assert.All(a.Calibrators, c => Assert.Equal("vendor", c.MeasuredBy));
        Assert.Contains("(the vendor's calculated concentrations)", Check(a, "calibration.accuracy").Message, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Accepted, a.Outcome);
        Assert.Equal(ResultStatus.Final, run.PatientResults.Single().Status);
    }

    [Fact]
    public void UnmodelledVendorRegression_IsNotReEvaluated()
    {
        var info = new RunInfo { Properties = new Dictionary<string, string> { ["Regression Mirtazapine"] = "Fit Power; Weighting None" } };
        var a = new Plate().Evaluate(info: info).Analytes.Single();
        Assert.Contains("the vendor's regression (Fit Power; Weighting None) is not one MirtLab models", Check(a, "calibration.fit").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInternalStandardArea_FallsBackToTheVendor_AndSaysWhichCalibrator()
    {
        var a = new Plate().Change("CAL 10", r => Plate.Copy(r, clearIsArea: true)).Evaluate().Analytes.Single();
        Assert.Equal("not re-evaluated: no analyte or internal-standard area for CAL 10, so there are no responses to fit; calibrator accuracy is judged on the vendor's calculated concentrations", Check(a, "calibration.fit").Message);
    }

    [Fact]
    public void CalibratorExcludedByTheVendor_IsLeftOutOfTheFit_AndDoesNotCountAsPassing()
    {
        // CAL 25 is far off the line (its area says 40 ng/mL); the vendor excluded it. Fitting without it keeps the line exact.
        var plate = new Plate().Change("CAL 25", r => Plate.Copy(r, area: Plate.Ratio(40m) * Plate.IsArea, used: false));
        var a = plate.Evaluate().Analytes.Single();
        Assert.Equal(7, a.Fit!.PointsInFit);
        Assert.Equal(0.02m, Math.Round(a.Fit.Coefficients[1], 9));
        var excluded = a.Calibrators.Single(c => c.SampleName == "CAL 25");
        Assert.Equal((false, false, "excluded from the vendor's curve", 160.0m), (excluded.Passed, excluded.InFit, excluded.Note, excluded.AccuracyPercent!.Value));
        Assert.Contains("CAL 25 (160.0%, excluded by the vendor)", Check(a, "calibration.accuracy").Message, StringComparison.Ordinal);
        Assert.Contains("excluded by the vendor and left out: CAL 25", Check(a, "calibration.fit").Message, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Pass, Check(a, "calibration.accuracy").Outcome);
    }

    [Fact]
    public void RSquaredBelowTheMinimum_AsksForReview_AndReportsBothRSquaredValues()
    {
        // ±8% scatter keeps every calibrator inside ±15% but drops the weighted r² to about 0.99.
        var plate = new Plate();
        var factor = 1.08;
        foreach (var name in new[] { "CAL 1", "CAL 2.5", "CAL 5", "CAL 10", "CAL 25", "CAL 50", "CAL 100", "CAL 200" })
        {
            var f = factor;
            plate.Change(name, r => Plate.Copy(r, area: r.Area * f));
            factor = factor > 1 ? 0.92 : 1.08;
        }

        var a = plate.Evaluate().Analytes.Single();
        var check = Check(a, "calibration.r-squared");
        Assert.Equal((CheckOutcome.Review, CheckScope.Run), (check.Outcome, check.Scope));
        Assert.Matches(@"^r² 0\.99\d{3} of MirtLab's fit is below 0\.995; the vendor's: r² 0\.99980 \(r 0\.9999\)$", check.Message);
        Assert.Equal(CheckOutcome.Pass, Check(a, "calibration.accuracy").Outcome);
        Assert.Equal(RunOutcome.NeedsReview, a.Outcome);
    }

    [Fact]
    public void ExportInNanomoles_IsFittedInTheAnalytesUnit_AndComparedWithTheVendorsCurveInItsOwn()
    {
        // 1 ng/mL mirtazapine = 1000 / 265.36 nmol/L; the vendor's slope per nmol/L is 0.02 × 0.26536.
        const decimal perNg = 1000m / 265.36m;
        var plate = new Plate().ChangeAll((r, _) => new InstrumentResult
        {
            Source = r.Source,
            SampleName = r.SampleName,
            SampleType = r.SampleType,
            RawAnalyte = r.RawAnalyte,
            InternalStandard = r.InternalStandard,
            RawValueText = r.RawValueText,
            Value = ResultValue.FromNumber(r.Value.Number!.Value * perNg),
            RawUnit = "nmol/L",
            Nominal = r.Nominal * perNg,
            Area = r.Area,
            InternalStandardArea = r.InternalStandardArea,
            RetentionTime = r.RetentionTime,
            UsedInCalibration = r.UsedInCalibration,
            AcquiredLocal = r.AcquiredLocal,
        });
        plate.Vendor = plate.Vendor with { Coefficients = [0.002, 0.02 * 0.26536] };
        var a = plate.Evaluate().Analytes.Single();
        Assert.Equal("ng/mL", a.Fit!.ConcentrationUnit);
        Assert.Equal(0.02m, Math.Round(a.Fit.Coefficients[1], 9));
        Assert.Equal((1m, 200m), (a.Fit.LowestNominal, a.Fit.HighestNominal));
        Assert.Equal(CheckOutcome.Pass, Check(a, "calibration.vendor-agreement").Outcome);
        Assert.All(a.Calibrators, c => Assert.Equal(100.0m, c.AccuracyPercent));
    }

    [Fact]
    public void FitFigures_AreInTheRunDocument_ForPlotting()
    {
        var run = new Plate().Evaluate();
        var json = System.Text.Json.JsonSerializer.SerializeToNode(RunDocument.From(run), MirtLabJson.Default.RunDocument)!;
        var analyte = json["analytes"]![0]!;
        Assert.Equal("linear", (string?)analyte["fit"]!["fit"]);
        Assert.Equal("oneOverXSquared", (string?)analyte["fit"]!["weighting"]);
        Assert.Equal(2, analyte["fit"]!["coefficients"]!.AsArray().Count);
        var cal = analyte["calibrators"]![0]!;
        foreach (var key in new[] { "response", "fittedResponse", "responseResidual", "measured", "accuracyPercent", "inFit", "vendorMeasured", "vendorCurveMeasured" })
        {
            Assert.NotNull(cal[key]);
        }

        Assert.Equal("run", (string?)analyte["checks"]![0]!["scope"]);
        Assert.Null(analyte["checks"]![0]!["affectsRun"]);
    }

    private static RunCheck Check(AnalyteRunEvaluation a, string id) => a.Checks.Single(c => c.Id == id);
}
