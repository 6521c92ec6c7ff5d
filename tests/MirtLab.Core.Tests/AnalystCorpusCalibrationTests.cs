using System.Globalization;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

/// <summary>
/// MirtLab's own fit of real SCIEX Analyst exports (../shared/corpus, itraconazole, not MirtLab data) must reproduce
/// the curve Analyst printed: the coefficients to their printed digits and r to four decimals. Skipped, saying so,
/// when the corpus is not on this machine.
/// </summary>
public sealed class AnalystCorpusCalibrationTests
{
    /// <summary>
    /// Sample_Run1: linear, no weighting, 18 calibrators 5–5000 ng/mL. Analyst: intercept -0.0113, slope 0.000257,
    /// r 0.9994. MirtLab: -0.01131988, 0.0002568263, r² 0.998834 (r 0.99942). Every calibrator back-calculates to
    /// Analyst's Calc. Conc. at its three printed digits.
    /// </summary>
    [Fact]
    public void SampleRun1_LinearFit_ReproducesAnalystsCurveAndCalculatedConcentrations()
    {
        var (run, analyte) = Evaluate("Sample_Run1.txt");
        var fit = analyte.Fit!;
        Assert.Equal((FitModel.Linear, Weighting.None, "vendor", "area ratio"), (fit.Fit, fit.Weighting, fit.ModelSource, fit.Response));
        Assert.Equal(-0.0113m, Math.Round(fit.Coefficients[0], 4));
        Assert.Equal(0.000257m, Math.Round(fit.Coefficients[1], 6));
        Assert.Equal(0.9994, Math.Round(Math.Sqrt((double)fit.RSquared!.Value), 4));
        Assert.Equal(18, fit.PointsInFit);
        Assert.All(analyte.Calibrators, c => Assert.Equal(ThreeFigures(c.VendorMeasured!.Value), ThreeFigures(c.Measured!.Value)));
        Assert.Equal(CheckOutcome.Pass, Check(analyte, "calibration.vendor-agreement").Outcome);
        Assert.Equal(CheckOutcome.Pass, Check(analyte, "calibration.r-squared").Outcome);
        Assert.DoesNotContain(run.Diagnostics, d => d.IsError);
    }

    /// <summary>
    /// The file's low calibrators (5, 10, 50 ng/mL at 159–941%) and all six low QCs fail, as Analyst's own accuracy
    /// column says; the blanks after both ULOQ calibrators carry 37% and 45% of the LLOQ response.
    /// </summary>
    [Fact]
    public void SampleRun1_StaysRejected_ForItsLowCalibratorsLowQcsAndCarryOver()
    {
        var (_, analyte) = Evaluate("Sample_Run1.txt");
        Assert.Equal(RunOutcome.Rejected, analyte.Outcome);
        var failing = analyte.Checks.Where(c => c.Outcome == CheckOutcome.Fail).Select(c => c.Id).ToList();
        Assert.Contains("calibration.accuracy", failing);
        Assert.Contains("qc.level", failing);
        Assert.Contains("carry-over", failing);
        Assert.Contains("36.9% of the LLOQ", Check(analyte, "carry-over").Message, StringComparison.Ordinal);
        Assert.Equal(new ReportableRange(100m, 5000m), analyte.ReportableRange);
    }

    /// <summary>
    /// Sample_Run2: quadratic, 1/x². Analyst: a0 0.00117, a1 0.0021, a2 9.2e-8, r 0.9967. MirtLab: 0.001174572,
    /// 0.002097669, 9.204774e-8, weighted r² 0.993413 (r 0.99670): Analyst's r is the weighted one (the unweighted
    /// r would be 0.99844). Back-calculations agree with Calc. Conc. within 0.5% (one, J 2 1, gives 4.3248 where
    /// Analyst printed 4.33: Analyst works from unrounded areas). r² 0.9934 is below CLSI C62's 0.995: review.
    /// </summary>
    [Fact]
    public void SampleRun2_QuadraticFit_ReproducesAnalystsCurve_AndItsLowRSquaredAsksForReview()
    {
        var (_, analyte) = Evaluate("Sample_Run2.txt");
        var fit = analyte.Fit!;
        Assert.Equal((FitModel.Quadratic, Weighting.OneOverXSquared), (fit.Fit, fit.Weighting));
        Assert.Equal(0.00117m, Math.Round(fit.Coefficients[0], 5));
        Assert.Equal(0.0021m, Math.Round(fit.Coefficients[1], 4));
        Assert.Equal(9.2e-8, double.Parse(((double)fit.Coefficients[2]).ToString("G2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        Assert.Equal(0.9967, Math.Round(Math.Sqrt((double)fit.RSquared!.Value), 4));
        Assert.All(analyte.Calibrators, c => Assert.InRange(c.Measured!.Value / c.VendorMeasured!.Value, 0.995m, 1.005m));
        Assert.Equal(CheckOutcome.Pass, Check(analyte, "calibration.vendor-agreement").Outcome);
        var r2 = Check(analyte, "calibration.r-squared");
        Assert.Equal(CheckOutcome.Review, r2.Outcome);
        Assert.Contains("r² 0.99341 of MirtLab's fit is below 0.995", r2.Message, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.NeedsReview, analyte.Outcome);
    }

    /// <summary>Sample_Run2's second curve was injected with about 170% of the first's IS response, and two QCs with under 50%.</summary>
    [Fact]
    public void SampleRun2_InternalStandardSpread_IsReported()
    {
        var (_, analyte) = Evaluate("Sample_Run2.txt");
        var response = Check(analyte, "internal-standard.response");
        Assert.Equal((CheckOutcome.Review, CheckScope.Samples), (response.Outcome, response.Scope));
        Assert.Contains("166 024 996183 MQC 1 1 (48.1%)", response.Message, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Review, Check(analyte, "internal-standard.drift").Outcome);
    }

    private static (EvaluatedRun Run, AnalyteRunEvaluation Analyte) Evaluate(string file)
    {
        if (AnalystExport.CorpusFile(file) is not { } path)
        {
            Assert.Skip("../shared/corpus is not present on this machine");
            throw new InvalidOperationException();
        }

        var run = RunEvaluator.Evaluate(AnalystExport.Load(path), TestRules.Default);
        return (run, run.Analytes.Single());
    }

    private static RunCheck Check(AnalyteRunEvaluation analyte, string id) => analyte.Checks.Single(c => c.Id == id);

    private static decimal ThreeFigures(decimal value)
    {
        var magnitude = (int)Math.Floor(Math.Log10((double)Math.Abs(value)));
        var scale = (decimal)Math.Pow(10, 2 - magnitude);
        return Math.Round(value * scale, MidpointRounding.AwayFromZero) / scale;
    }
}
