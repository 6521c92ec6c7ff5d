using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

/// <summary>Internal-standard response and drift, retention time, ion ratio and carry-over, each at its boundary.</summary>
public sealed class InjectionChecksTests
{
    [Theory]
    [InlineData(75000, ResultStatus.Final)]         // exactly 50.0% of the calibrators' and QCs' mean 150,000
    [InlineData(74850, ResultStatus.Preliminary)]   // 49.9%
    [InlineData(225000, ResultStatus.Final)]        // exactly 150.0%
    [InlineData(225150, ResultStatus.Preliminary)]  // 150.1%
    public void PatientInternalStandardResponse_OutsideTheBand_HoldsThatResultOnly(double isArea, ResultStatus expected)
    {
        var run = new Plate().Patient("P-1 trough", 46.3m, isArea: isArea).Patient("P-2 trough", 52.0m).Evaluate();
        Assert.Equal(expected, run.Result("P-1 trough", "mirtazapine").Status);
        Assert.Equal(ResultStatus.Final, run.Result("P-2 trough", "mirtazapine").Status);
        Assert.Equal(RunOutcome.Accepted, run.Analytes.Single().Outcome);
    }

    [Fact]
    public void HeldForInternalStandard_SaysWhichInternalStandardAndHowFarOff()
    {
        var run = new Plate().Patient("P-1 trough", 46.3m, isArea: 60000).Evaluate();
        var p = run.Result("P-1 trough", "mirtazapine");
        Assert.Contains("internal-standard.response: Mirtazapine-d3 response 40.0% of the calibrators' and QCs' mean (band 50–150%)", p.HoldReasons);
        var a = run.Analytes.Single();
        var check = a.Checks.Single(c => c.Id == "internal-standard.response");
        Assert.Equal((CheckOutcome.Review, CheckScope.Samples), (check.Outcome, check.Scope));
        Assert.Equal("Mirtazapine-d3 response outside 50–150% of the mean 150000: P-1 trough (40.0%, held)", check.Message);
        Assert.Equal(40.0m, a.Injections.Single(i => i.SampleName == "P-1 trough").InternalStandardPercent);
        Assert.Single(a.SampleHolds);
    }

    [Fact]
    public void QcOutsideTheInternalStandardBand_IsNamed_ButHoldsNoPatient()
    {
        var run = new Plate().Change("QC 40", r => Plate.Copy(r, isArea: 40000, area: Plate.Ratio(41m) * 40000)).Patient("P-1 trough", 46.3m).Evaluate();
        Assert.Contains("QC 40 (", run.Analytes.Single().Checks.Single(c => c.Id == "internal-standard.response").Message, StringComparison.Ordinal);
        Assert.Equal(ResultStatus.Final, run.Result("P-1 trough", "mirtazapine").Status);
    }

    [Fact]
    public void PatientWithoutAnInternalStandardArea_IsHeld()
    {
        var run = new Plate().Patient("P-1 trough", 46.3m, isArea: null).Evaluate();
        Assert.Contains("internal-standard.response: no Mirtazapine-d3 area for this injection", run.Result("P-1 trough", "mirtazapine").HoldReasons);
    }

    [Fact]
    public void InternalStandardFallingAThirdAcrossTheRun_AsksForReviewOfTheRun()
    {
        var plate = new Plate();
        for (var i = 0; i < 6; i++)
        {
            plate.Patient($"P-{i} trough", 40m + i);
        }

        var count = plate.Rows.Count;
        plate.ChangeAll((r, i) =>
        {
            var isArea = Plate.IsArea * (1 - (0.3 * i / (count - 1)));
            return Plate.Copy(r, isArea: isArea, area: r.Area / Plate.IsArea * isArea);
        });
        var a = plate.Evaluate().Analytes.Single();
        var drift = a.Checks.Single(c => c.Id == "internal-standard.drift");
        Assert.Equal((CheckOutcome.Review, CheckScope.Run), (drift.Outcome, drift.Scope));
        Assert.Equal("Mirtazapine-d3 response changes -35.3% of its mean from the first to the last of 20 injections inside the band (regression on injection order)", drift.Message);
        Assert.Equal(RunOutcome.NeedsReview, a.Outcome);
        Assert.Equal(CheckOutcome.Pass, a.Checks.Single(c => c.Id == "internal-standard.response").Outcome);
    }

    [Theory]
    [InlineData(2.05, ResultStatus.Final)]          // +2.5% of the calibrators' mean 2.00 min
    [InlineData(1.95, ResultStatus.Final)]          // -2.5%
    [InlineData(2.0501, ResultStatus.Preliminary)]
    [InlineData(1.9499, ResultStatus.Preliminary)]
    public void RetentionTime_OutsideTwoAndAHalfPercent_HoldsThePatientResult(double retentionTime, ResultStatus expected)
    {
        var run = new Plate().Patient("P-1 trough", 46.3m, retentionTime: retentionTime).Evaluate();
        var p = run.Result("P-1 trough", "mirtazapine");
        Assert.Equal(expected, p.Status);
        if (expected == ResultStatus.Preliminary)
        {
            Assert.Contains(p.HoldReasons, h => h.StartsWith("retention-time: retention time ", StringComparison.Ordinal) && h.EndsWith("from the calibrators' mean 2 (window ±2.5%)", StringComparison.Ordinal));
        }

        Assert.Equal(RunOutcome.Accepted, run.Analytes.Single().Outcome);
    }

    [Theory]
    [InlineData(0.60, ResultStatus.Final)]           // +20% of the calibrators' mean 0.50
    [InlineData(0.40, ResultStatus.Final)]           // -20%
    [InlineData(0.6001, ResultStatus.Preliminary)]
    public void IonRatio_OutsideTwentyPercent_HoldsThePatientResult(double ionRatio, ResultStatus expected)
    {
        var plate = new Plate().ChangeAll((r, _) => r.SampleType == SampleType.Standard ? Plate.Copy(r, ionRatio: 0.50) : r);
        var run = plate.Patient("P-1 trough", 46.3m, ionRatio: ionRatio).Evaluate();
        Assert.Equal(expected, run.Result("P-1 trough", "mirtazapine").Status);
        var check = run.Analytes.Single().Checks.Single(c => c.Id == "ion-ratio");
        Assert.Equal(expected == ResultStatus.Final ? CheckOutcome.Pass : CheckOutcome.Review, check.Outcome);
    }

    [Fact]
    public void WithoutIonRatios_ThereIsNoIonRatioCheck()
    {
        Assert.DoesNotContain(new Plate().Patient("P-1 trough", 46.3m).Evaluate().Analytes.Single().Checks, c => c.Id == "ion-ratio");
    }

    [Theory]
    [InlineData(660.0, CheckOutcome.Pass)]   // 20.0% of the LLOQ calibrator's area 3300
    [InlineData(660.5, CheckOutcome.Fail)]   // 20.02%
    public void AnalyteInTheBlankAfterTheUloq_BeyondTwentyPercentOfTheLloq_FailsTheRun(double area, CheckOutcome expected)
    {
        var run = new Plate().Add("Blank after ULOQ", SampleType.Blank, null, area: area).Patient("P-1 trough", 46.3m).Evaluate();
        var a = run.Analytes.Single();
        var check = a.Checks.Single(c => c.Id == "carry-over");
        Assert.Equal(expected, check.Outcome);
        Assert.StartsWith("Blank after ULOQ (blank after CAL 200): analyte area", check.Message, StringComparison.Ordinal);
        Assert.Equal(expected == CheckOutcome.Fail ? RunOutcome.Rejected : RunOutcome.Accepted, a.Outcome);
        Assert.Equal(expected == CheckOutcome.Fail, run.Diagnostics.Any(d => d.Code == Diagnostics.DiagnosticCodes.CarryOverRejected));
    }

    [Theory]
    [InlineData(7500.0, CheckOutcome.Pass)]   // 5.0% of the mean IS response 150,000
    [InlineData(7501.0, CheckOutcome.Fail)]
    public void InternalStandardInTheDoubleBlankAfterTheUloq_BeyondFivePercent_FailsTheRun(double isArea, CheckOutcome expected)
    {
        var run = new Plate().Add("Double Blank", SampleType.DoubleBlank, null, area: 0, isArea: isArea).Evaluate();
        var check = run.Analytes.Single().Checks.Single(c => c.Id == "carry-over");
        Assert.Equal(expected, check.Outcome);
        Assert.Contains("Double Blank (double-blank after CAL 200): analyte area 0 = 0.0% of the LLOQ calibrators' 3300, IS area", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoBlankAfterTheUloq_CarryOverIsNotAssessed_WhichHoldsNothing()
    {
        var run = new Plate().Patient("P-1 trough", 46.3m).Evaluate();
        var check = run.Analytes.Single().Checks.Single(c => c.Id == "carry-over");
        Assert.Equal((CheckOutcome.Review, CheckScope.Advisory), (check.Outcome, check.Scope));
        Assert.StartsWith("carry-over not assessed: no blank or double blank was injected after the highest calibrator (CAL 200, 200)", check.Message, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Accepted, run.Analytes.Single().Outcome);
        Assert.Equal(ResultStatus.Final, run.PatientResults.Single().Status);
    }

    [Fact]
    public void InjectionOrder_IsAcquisitionTime_NotTheOrderOfLines()
    {
        // Listed before the calibrators but acquired after the ULOQ: it is the blank after the ULOQ.
        var late = new Plate(withCurve: false).Add("Blank late", SampleType.Blank, null, area: 3300, acquired: new DateTime(2026, 11, 21, 23, 0, 0));
        var plate = new Plate();
        var run = RunEvaluator.Evaluate(
            new RunInput(new RunIdentity(RunBuilder.Sha, "plate.txt", "test", "tq5500"), new RunInfo { Calibrations = [plate.Vendor] }, [.. late.Rows, .. plate.Rows], TimeZoneInfo.Utc, []),
            TestRules.Default);
        var a = run.Analytes.Single();
        Assert.Equal(CheckOutcome.Fail, a.Checks.Single(c => c.Id == "carry-over").Outcome);
        Assert.Equal("Blank late", a.Injections[^1].SampleName);
    }

    [Fact]
    public void SampleScopeAndAdvisoryChecks_DoNotChangeTheRunOutcome_OnlyRunScopeChecksDo()
    {
        var run = new Plate().Patient("P-1 trough", 46.3m, isArea: 10000, retentionTime: 2.5).Evaluate();
        var a = run.Analytes.Single();
        Assert.Contains(a.Checks, c => c is { Scope: CheckScope.Samples, Outcome: CheckOutcome.Review });
        Assert.Contains(a.Checks, c => c is { Scope: CheckScope.Advisory, Outcome: CheckOutcome.Review });
        Assert.Empty(a.Problems);
        Assert.Equal(RunOutcome.Accepted, a.Outcome);
        Assert.Equal(2, run.Result("P-1 trough", "mirtazapine").HoldReasons.Count);
    }
}
