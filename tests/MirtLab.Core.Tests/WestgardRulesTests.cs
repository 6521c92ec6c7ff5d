using MirtLab.Core.Rules;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

/// <summary>
/// Westgard multirules at their boundaries. Targets: level 100 at mean 100, SD 10; level 500 at mean 500, SD 25, so
/// z-scores are exact decimals. A limit fires only when strictly exceeded ("exceeds the mean ± 3s").
/// </summary>
public sealed class WestgardRulesTests
{
    private static readonly WestgardTarget[] Targets = [new(100m, 100m, 10m), new(500m, 500m, 25m)];

    [Theory]
    [InlineData("120", null)]
    [InlineData("120.01", "1-2s")]
    [InlineData("79.99", "1-2s")]
    [InlineData("130", "1-2s")]       // exactly 3.0 SD: a warning, not a 1-3s rejection
    [InlineData("130.01", "1-3s")]
    [InlineData("69.99", "1-3s")]
    public void SingleResult_OneTwoSWarnsAndOneThreeSRejects_OnlyBeyondTheLimit(string value, string? rule)
    {
        var violations = Evaluate([], [C(D(value))]);
        Assert.Equal(rule is null ? [] : [rule], violations.Select(v => v.Rule));
        if (rule is not null)
        {
            Assert.Equal(rule == "1-2s" ? CheckOutcome.Review : CheckOutcome.Fail, violations[0].Outcome);
        }
    }

    [Theory]
    [InlineData("121", "121", true)]
    [InlineData("121", "120", false)]   // the second at exactly 2.0 SD
    [InlineData("79", "79", true)]
    [InlineData("121", "79", false)]    // opposite sides, and R-4s is a within-run rule
    public void TwoTwoS_WithinALevel_AcrossRuns(string previous, string current, bool fires)
    {
        var violations = Evaluate([H(D(previous))], [C(D(current))]);
        Assert.Equal(fires, violations.Any(v => v.Rule == "2-2s"));
        Assert.DoesNotContain(violations, v => v.Rule == "R-4s");
    }

    [Fact]
    public void TwoTwoS_AcrossLevels_WithinTheRun()
    {
        var violations = Evaluate([], [C(121m), C(551m, 500m)]);
        var v = Assert.Single(violations, v => v.Rule == "2-2s");
        Assert.Equal([2.1m, 2.04m], v.Observations.Select(o => o.ZScore!.Value));
    }

    [Fact]
    public void TwoTwoS_TwoResultsOfOneLevel_WithinTheRun()
    {
        Assert.Contains(Evaluate([], [C(121m, name: "QC 1"), C(122m, name: "QC 2")]), v => v.Rule == "2-2s");
    }

    [Fact]
    public void R4s_OneBeyondPlusTwoAndAnotherBeyondMinusTwo_WithinTheRun()
    {
        var v = Assert.Single(Evaluate([], [C(121m), C(449m, 500m)]), v => v.Rule == "R-4s");
        Assert.Equal(CheckOutcome.Fail, v.Outcome);
        Assert.Equal([2.1m, -2.04m], v.Observations.Select(o => o.ZScore!.Value));
        Assert.DoesNotContain(Evaluate([], [C(120m), C(449m, 500m)]), v => v.Rule == "R-4s");
    }

    [Theory]
    [InlineData("111", true)]
    [InlineData("110", false)]   // exactly 1.0 SD ends the streak
    [InlineData("95", false)]
    public void FourOneS_FourConsecutiveBeyondOneSd_IncludingThisRun(string current, bool fires)
    {
        var history = new[] { H(111m, day: 1), H(112m, day: 2), H(113m, day: 3) };
        Assert.Equal(fires, Evaluate(history, [C(D(current))]).Any(v => v.Rule == "4-1s"));
    }

    [Fact]
    public void FourOneS_AnEarlierStreakAlone_IsNotThisRunsViolation()
    {
        var history = new[] { H(111m, day: 1), H(112m, day: 2), H(113m, day: 3), H(114m, day: 4) };
        Assert.DoesNotContain(Evaluate(history, [C(95m)]), v => v.Rule == "4-1s");
    }

    [Fact]
    public void FourOneS_AcrossLevels_InTimeOrder()
    {
        var history = new[] { H(111m, day: 1), H(527m, 500m, day: 2), H(112m, day: 3) };
        var v = Assert.Single(Evaluate(history, [C(528m, 500m)]), v => v.Rule == "4-1s");
        Assert.Equal(4, v.Observations.Count);
        Assert.Contains("(levels 100 mg, 500 mg)", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FourOneS_ALongerStreak_IsOneViolation()
    {
        var history = Enumerable.Range(1, 5).Select(d => H(111m, day: d)).ToArray();
        var v = Assert.Single(Evaluate(history, [C(111m)]), v => v.Rule == "4-1s");
        Assert.Equal(6, v.Observations.Count);
    }

    [Theory]
    [InlineData(9, true)]
    [InlineData(8, false)]
    public void TenX_TenConsecutiveOnOneSideOfTheMean(int earlier, bool fires)
    {
        var history = Enumerable.Range(1, earlier).Select(d => H(101m, day: d)).ToArray();
        Assert.Equal(fires, Evaluate(history, [C(101m)]).Any(v => v.Rule == "10-x"));
    }

    [Fact]
    public void TenX_AResultExactlyAtTheMean_BreaksTheStreak()
    {
        var history = Enumerable.Range(1, 9).Select(d => H(d == 5 ? 100m : 101m, day: d)).ToArray();
        Assert.DoesNotContain(Evaluate(history, [C(101m)]), v => v.Rule == "10-x");
    }

    [Fact]
    public void RulesSwitchedOff_DoNotFire()
    {
        var violations = WestgardRules.Evaluate(Targets, [H(121m)], [C(131m), C(449m, 500m)], ["1-3s"]);
        Assert.Equal(["1-3s"], violations.Select(v => v.Rule));
    }

    [Fact]
    public void ResultsOfALevelWithoutTarget_AreNotJudged()
    {
        Assert.Empty(Evaluate([], [C(9999m, 40m)]));
    }

    [Fact]
    public void Violation_NamesTheObservations()
    {
        var v = Assert.Single(Evaluate([H(121m, day: 3)], [C(122m, name: "QC high 1")]), v => v.Rule == "2-2s");
        Assert.Equal("two consecutive results of level 100 mg beyond +2 SD: run run-3 2026-11-03 121 mg (+2.10 SD), QC high 1 122 mg (+2.20 SD)", v.Message);
    }

    private static IReadOnlyList<WestgardViolation> Evaluate(QcChartPoint[] history, QcChartPoint[] thisRun) =>
        WestgardRules.Evaluate(Targets, history, thisRun, AcceptanceCriteria.AllWestgardRules, "mg");

    private static QcChartPoint H(decimal value, decimal level = 100m, int day = 1) =>
        new("run-" + day.ToString(System.Globalization.CultureInfo.InvariantCulture), new DateTimeOffset(2026, 11, day, 8, 0, 0, TimeSpan.Zero), null, level, value, null, false);

    private static QcChartPoint C(decimal value, decimal level = 100m, string name = "QC") =>
        new("this-run", new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero), name, level, value, null, true);

    private static decimal D(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
