using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

/// <summary>QC targets (configured or from the host's history), Levey-Jennings charts and Westgard checks in a run's evaluation.</summary>
public sealed class QcControlTests
{
    [Fact]
    public void ConfiguredTargets_RejectTheRunOnR4s_AndHoldItsPatients()
    {
        // QC 40 at 41 and 39 against 40 ± 0.4: +2.5 and -2.5 SD.
        var rules = Plate.With(new AcceptanceCriteria(), [new QcTarget("mirtazapine", 40m, 40m, 0.4m, "lab data 2026-10, n=20")]);
        var run = new Plate().Patient("P-1 trough", 46.3m).Evaluate(rules);
        var a = run.Analytes.Single();
        var check = a.Checks.Single(c => c.Id == "westgard.R-4s");
        Assert.Equal((CheckOutcome.Fail, CheckScope.Run), (check.Outcome, check.Scope));
        Assert.Equal("within this run QC 40 41 ng/mL (+2.50 SD) and QC 40 39 ng/mL (-2.50 SD) span more than 4 SD", check.Message);
        Assert.Contains("40: 40 ± 0.4 (configured: lab data 2026-10, n=20)", check.Thresholds, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Rejected, a.Outcome);
        Assert.Contains(run.PatientResults.Single().HoldReasons, h => h.StartsWith("run.rejected", StringComparison.Ordinal) && h.Contains("span more than 4 SD", StringComparison.Ordinal));
        var chart = a.QcCharts.Single(c => c.Level == 40m);
        Assert.Equal((40m, 0.4m), (chart.Mean, chart.Sd));
        Assert.Equal([2.5m, -2.5m], chart.Points.Select(p => p.ZScore!.Value));
        Assert.Contains(a.WestgardViolations, v => v.Rule == "R-4s" && v.Observations.Count == 2);
    }

    [Fact]
    public void TwentyAcceptedObservations_EstablishTheTarget_FromTheLastTwenty()
    {
        // 25 earlier results; the last 20 alternate 2.9 and 3.1: mean 3.0, SD 0.1026 (sample SD).
        var history = Enumerable.Range(0, 25).Select(i => Observation(i < 5 ? 9m : i % 2 == 0 ? 2.9m : 3.1m, i)).ToList();
        var context = new RunContext { QcHistory = new Dictionary<(string, decimal), IReadOnlyList<QcObservation>> { [("mirtazapine", 3m)] = history } };
        var a = new Plate().Evaluate(context: context).Analytes.Single();
        var chart = a.QcCharts.Single(c => c.Level == 3m);
        Assert.Equal(3.0m, chart.Mean);
        Assert.Equal(0.102598m, chart.Sd);
        Assert.Equal("history: mean and SD of the last 20 accepted observations", chart.TargetSource);
        Assert.Equal(27, chart.Points.Count);
        Assert.Equal(CheckOutcome.Pass, a.Checks.Single(c => c.Id == "westgard").Outcome);
        var targets = a.Checks.Single(c => c.Id == "westgard.targets");
        Assert.Equal((CheckOutcome.Review, CheckScope.Advisory), (targets.Outcome, targets.Scope));
        Assert.Equal("targets not yet established, Westgard rules not applied: QC level 40, 160 ng/mL (0 of 20 accepted observations, none configured)", targets.Message);
        Assert.Equal(RunOutcome.Accepted, a.Outcome);
    }

    [Fact]
    public void NineteenObservations_AreNotEnough_WhichHoldsNothing()
    {
        var history = Enumerable.Range(0, 19).Select(i => Observation(3m, i)).ToList();
        var context = new RunContext { QcHistory = new Dictionary<(string, decimal), IReadOnlyList<QcObservation>> { [("mirtazapine", 3m)] = history } };
        var run = new Plate().Patient("P-1 trough", 46.3m).Evaluate(context: context);
        Assert.Contains("QC level 3 ng/mL (19 of 20 accepted observations, none configured)", run.Analytes.Single().Checks.Single(c => c.Id == "westgard.targets").Message, StringComparison.Ordinal);
        Assert.Equal(ResultStatus.Final, run.PatientResults.Single().Status);
    }

    [Fact]
    public void HistoryTwoTwoS_RejectsAcrossRuns()
    {
        // Configured 3.0 ± 0.05: the previous run's 3.11 is +2.2 SD. This run's first low QC at 3.11 (+2.2 SD) makes
        // two consecutive results beyond +2 SD; at 2.95 it does not (the second, 3.1, is exactly +2.0 SD).
        var rules = Plate.With(new AcceptanceCriteria(), [new QcTarget("mirtazapine", 3m, 3.0m, 0.05m, null)]);
        var context = new RunContext { QcHistory = new Dictionary<(string, decimal), IReadOnlyList<QcObservation>> { [("mirtazapine", 3m)] = [Observation(3.11m, 0)] } };
        var plate = new Plate().Change("QC 3", r => Plate.Copy(r, value: 2.95m));
        Assert.DoesNotContain(plate.Evaluate(rules, context).Analytes.Single().Checks, c => c.Id == "westgard.2-2s");
        var high = new Plate().Change("QC 3", r => Plate.Copy(r, value: 3.11m));
        Assert.Contains(high.Evaluate(rules, context).Analytes.Single().Checks, c => c is { Id: "westgard.2-2s", Outcome: CheckOutcome.Fail });
    }

    [Fact]
    public void ConfiguredTarget_WinsOverHistory()
    {
        var history = Enumerable.Range(0, 20).Select(i => Observation(i % 2 == 0 ? 2.9m : 3.1m, i)).ToList();
        var context = new RunContext { QcHistory = new Dictionary<(string, decimal), IReadOnlyList<QcObservation>> { [("mirtazapine", 3m)] = history } };
        var rules = Plate.With(new AcceptanceCriteria(), [new QcTarget("mirtazapine", 3m, 3.05m, 0.2m, "insert lot 12")]);
        var chart = new Plate().Evaluate(rules, context).Analytes.Single().QcCharts.Single(c => c.Level == 3m);
        Assert.Equal((3.05m, 0.2m, "configured: insert lot 12"), (chart.Mean, chart.Sd, chart.TargetSource));
    }

    [Fact]
    public void UnavailableHistory_SaysWhy()
    {
        var context = new RunContext { QcHistoryUnavailable = "the LIS did not answer" };
        var check = new Plate().Evaluate(context: context).Analytes.Single().Checks.Single(c => c.Id == "westgard.targets");
        Assert.Contains("(QC history unavailable: the LIS did not answer)", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneTwoSWarning_IsAdvisory()
    {
        var rules = Plate.With(new AcceptanceCriteria(), [new QcTarget("mirtazapine", 160m, 160m, 1.2m, null)]);
        var a = new Plate().Evaluate(rules).Analytes.Single();   // 158 (-1.67 SD), 163 (+2.5 SD)
        var check = a.Checks.Single(c => c.Id == "westgard.1-2s");
        Assert.Equal((CheckOutcome.Review, CheckScope.Advisory), (check.Outcome, check.Scope));
        Assert.Equal(RunOutcome.Accepted, a.Outcome);
    }

    [Fact]
    public void QcHistoryLookups_NameTheAnalyteAndLevelsOfTheRun()
    {
        var plate = new Plate();
        var input = new RunInput(new RunIdentity(RunBuilder.Sha, "plate.txt", "test", "tq5500"), new RunInfo(), plate.Rows, TimeZoneInfo.Utc, []);
        Assert.Equal([("mirtazapine", 3m), ("mirtazapine", 40m), ("mirtazapine", 160m)], RunEvaluator.QcHistoryLookups(input, TestRules.Default));
    }

    private static QcObservation Observation(decimal value, int i) =>
        new("run" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.Zero).AddDays(i), value, "LQC");
}
