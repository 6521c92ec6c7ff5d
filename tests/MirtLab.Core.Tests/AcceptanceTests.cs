using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

public sealed class AcceptanceCriteriaTests
{
    [Theory]
    [InlineData("0.667", 18, 12)]
    [InlineData("0.667", 6, 4)]
    [InlineData("0.6667", 6, 4)]
    [InlineData("0.75", 8, 6)]
    [InlineData("0.75", 18, 14)]
    [InlineData("0.5", 3, 2)]
    [InlineData("0.5", 2, 1)]
    [InlineData("1", 5, 5)]
    public void Required_ReadsRoundedFractionsAsTheSimpleFractionTheyMean(string fraction, int total, int required)
    {
        Assert.Equal(required, AcceptanceCriteria.Required(decimal.Parse(fraction, System.Globalization.CultureInfo.InvariantCulture), total));
    }
}

public sealed class CalibrationAcceptanceTests
{
    private static readonly AcceptanceCriteria Criteria = new();

    [Theory]
    [InlineData("1.20", true)]   // +20.0% at the LLOQ: inside ±20%
    [InlineData("1.201", false)]
    [InlineData("0.80", true)]
    [InlineData("0.79", false)]
    public void LowestCalibrator_IsJudgedWithTheWiderLloqWindow(string measured, bool passes)
    {
        var cals = Curve(("1", measured), ("2.5", "2.5"), ("5", "5"), ("10", "10"), ("25", "25"), ("50", "50"), ("100", "100"), ("200", "200"));
        var (points, _, _) = CalibrationAcceptance.Evaluate(cals, Criteria);
        Assert.Equal(passes, points[0].Passed);
        Assert.Equal(20m, points[0].TolerancePercent);
    }

    [Theory]
    [InlineData("5.75", true)]   // +15.0%
    [InlineData("5.76", false)]
    [InlineData("4.25", true)]
    [InlineData("4.24", false)]
    public void OtherCalibrators_AreJudgedWithinFifteenPercent(string measured, bool passes)
    {
        var cals = Curve(("1", "1"), ("2.5", "2.5"), ("5", measured), ("10", "10"), ("25", "25"), ("50", "50"), ("100", "100"), ("200", "200"));
        var (points, _, _) = CalibrationAcceptance.Evaluate(cals, Criteria);
        Assert.Equal(passes, points[2].Passed);
    }

    [Fact]
    public void SixOfEightPassing_MeetsSeventyFivePercent_FiveDoesNot()
    {
        var six = Curve(("1", "2"), ("2.5", "4"), ("5", "5"), ("10", "10"), ("25", "25"), ("50", "50"), ("100", "100"), ("200", "200"));
        var five = Curve(("1", "2"), ("2.5", "4"), ("5", "9"), ("10", "10"), ("25", "25"), ("50", "50"), ("100", "100"), ("200", "200"));
        Assert.Equal(CheckOutcome.Pass, Check(CalibrationAcceptance.Evaluate(six, Criteria).Checks, "calibration.accuracy"));
        Assert.Equal(CheckOutcome.Fail, Check(CalibrationAcceptance.Evaluate(five, Criteria).Checks, "calibration.accuracy"));
    }

    [Fact]
    public void FewerThanSixPassingLevels_FailsTheLevelsCheck()
    {
        var cals = Curve(("1", "1"), ("2.5", "2.5"), ("5", "5"), ("10", "10"), ("25", "25"));
        var (_, checks, _) = CalibrationAcceptance.Evaluate(cals, Criteria);
        Assert.Equal(CheckOutcome.Fail, Check(checks, "calibration.levels"));
    }

    [Fact]
    public void ReportableRange_RunsFromTheLowestToTheHighestPassingLevel()
    {
        var cals = Curve(("1", "3"), ("2.5", "2.6"), ("5", "5"), ("10", "10"), ("25", "25"), ("50", "50"), ("100", "100"), ("200", "260"));
        var (_, checks, range) = CalibrationAcceptance.Evaluate(cals, Criteria);
        Assert.Equal(new ReportableRange(2.5m, 100m), range);
        Assert.Equal(CheckOutcome.Review, Check(checks, "calibration.lloq"));
    }

    [Fact]
    public void CalibratorWithoutAValue_CountsAsFailing()
    {
        var cals = Curve(("1", null), ("2.5", "2.5"), ("5", "5"), ("10", "10"), ("25", "25"), ("50", "50"), ("100", "100"), ("200", "200"));
        var (points, _, range) = CalibrationAcceptance.Evaluate(cals, Criteria);
        Assert.False(points[0].Passed);
        Assert.Null(points[0].AccuracyPercent);
        Assert.Equal(2.5m, range!.Lloq);
    }

    internal static RunCheck? CheckOf(IReadOnlyList<RunCheck> checks, string id) => checks.FirstOrDefault(c => c.Id == id);

    private static CheckOutcome? Check(IReadOnlyList<RunCheck> checks, string id) => CheckOf(checks, id)?.Outcome;

    internal static List<EvaluatedResult> Curve(params (string Nominal, string? Measured)[] points) =>
        points.Select((p, i) => Evaluated(SampleType.Standard, $"CAL {i + 1}", p.Nominal, p.Measured, null)).ToList();

    internal static EvaluatedResult Evaluated(SampleType type, string name, string nominal, string? measured, string? level)
    {
        var value = measured is null ? ResultValue.NotDetected("No Peak") : ResultValue.FromNumber(Dec(measured));
        return new EvaluatedResult
        {
            ResultKey = name,
            Raw = new InstrumentResult
            {
                Source = new SourcePosition(null, 1),
                SampleName = name,
                SampleType = type,
                RawAnalyte = "Mirtazapine",
                RawValueText = measured ?? "No Peak",
                Value = value,
                Level = level,
            },
            SampleType = type,
            Value = value,
            UnroundedNumber = value.Number,
            Nominal = Dec(nominal),
            Display = measured ?? "No Peak",
        };
    }

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class QcAcceptanceTests
{
    private static readonly AcceptanceCriteria Criteria = new();

    [Fact]
    public void FourOfSixWithinFifteenPercent_PassesTwoThirds()
    {
        var qcs = Qcs(("3", "3.0"), ("3", "3.1"), ("40", "40"), ("40", "47"), ("160", "160"), ("160", "100"));
        var (_, checks) = QcAcceptance.Evaluate(qcs, Criteria);
        Assert.Equal(CheckOutcome.Pass, CalibrationAcceptanceTests.CheckOf(checks, "qc.overall")!.Outcome);
        Assert.All(checks.Where(c => c.Id == "qc.level"), c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
    }

    [Fact]
    public void ThreeOfSix_FailsTwoThirds()
    {
        var qcs = Qcs(("3", "3.0"), ("3", "5"), ("40", "40"), ("40", "47"), ("160", "160"), ("160", "100"));
        var (_, checks) = QcAcceptance.Evaluate(qcs, Criteria);
        Assert.Equal(CheckOutcome.Fail, CalibrationAcceptanceTests.CheckOf(checks, "qc.overall")!.Outcome);
    }

    [Fact]
    public void ALevelWithNoPassingQc_FailsThatLevelEvenWhenTwoThirdsPassOverall()
    {
        var qcs = Qcs(("3", "5"), ("3", "5"), ("40", "40"), ("40", "41"), ("160", "160"), ("160", "161"), ("40", "39"), ("160", "158"));
        var (_, checks) = QcAcceptance.Evaluate(qcs, Criteria);
        Assert.Equal(CheckOutcome.Pass, CalibrationAcceptanceTests.CheckOf(checks, "qc.overall")!.Outcome);
        var low = checks.Single(c => c.Id == "qc.level" && c.Message.StartsWith("QC level 3", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Fail, low.Outcome);
    }

    [Fact]
    public void NoQcs_AsksForReview()
    {
        var (_, checks) = QcAcceptance.Evaluate([], Criteria);
        Assert.Equal(CheckOutcome.Review, Assert.Single(checks).Outcome);
    }

    private static List<EvaluatedResult> Qcs(params (string Nominal, string Measured)[] points) =>
        points.Select((p, i) => CalibrationAcceptanceTests.Evaluated(SampleType.QualityControl, $"QC {i + 1}", p.Nominal, p.Measured, null)).ToList();
}
