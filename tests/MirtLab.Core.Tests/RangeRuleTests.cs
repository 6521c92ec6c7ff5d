using MirtLab.Core.Catalog;
using MirtLab.Core.Results;
using MirtLab.Core.Rules;

namespace MirtLab.Core.Tests;

public sealed class RangeRuleTests
{
    private static readonly RangeContext Serum = new("serum", null, null, null, "tq5500");

    // Mirtazapine, AGNP 2017: therapeutic 30–80 ng/mL, alert 160 ng/mL. Limits are inside the range.
    [Theory]
    [InlineData("29.9", "L")]
    [InlineData("30.0", "")]
    [InlineData("46.3", "")]
    [InlineData("80.0", "")]
    [InlineData("80.1", "H")]
    [InlineData("160.0", "H")]
    [InlineData("160.1", "HH")]
    public void Mirtazapine_NumberAtAndAroundEachLimit_GetsTheRightFlag(string value, string expected)
    {
        var (flags, normal) = RangeRule.Evaluate(Mirtazapine, ResultValue.FromNumber(Dec(value)), Serum, "v1");
        Assert.Equal(expected, string.Join(' ', flags.Select(f => f.Code)));
        Assert.Equal("mirtazapine.therapeutic.agnp2017", normal!.Id);
    }

    [Theory]
    [InlineData("<", "5.0", "L")]
    [InlineData("<", "30.0", "L")]
    [InlineData("<", "50", "")]
    [InlineData(">", "200", "HH")]
    [InlineData(">", "160", "HH")]
    [InlineData(">", "100", "H")]
    [InlineData(">", "70", "")]
    public void Mirtazapine_LimitValue_IsFlaggedOnlyWhenTheLimitProvesIt(string comparator, string limit, string expected)
    {
        var value = comparator == "<" ? ResultValue.Below(Dec(limit)) : ResultValue.Above(Dec(limit));
        var (flags, _) = RangeRule.Evaluate(Mirtazapine, value, Serum, "v1");
        Assert.Equal(expected, string.Join(' ', flags.Select(f => f.Code)));
    }

    [Fact]
    public void Flag_NamesItsRuleThresholdsAndConfigurationVersion()
    {
        var (flags, _) = RangeRule.Evaluate(Mirtazapine, ResultValue.FromNumber(171m), Serum, "2026-11-21.1+abc");
        var flag = Assert.Single(flags);
        Assert.Equal("HH", flag.Code);
        Assert.Equal("range:mirtazapine.alert.agnp2017", flag.RuleId);
        Assert.Contains("160", flag.Thresholds, StringComparison.Ordinal);
        Assert.Contains("ng/mL", flag.Reason, StringComparison.Ordinal);
        Assert.Equal("2026-11-21.1+abc", flag.ConfigVersion);
    }

    [Theory]
    [InlineData("not-detected")]
    [InlineData("no-value")]
    public void NonNumericValue_GetsNoNumericFlag(string kind)
    {
        var value = kind == "not-detected" ? ResultValue.NotDetected("No Peak") : ResultValue.NoValue("N/A");
        var (flags, _) = RangeRule.Evaluate(Mirtazapine, value, Serum, "v1");
        Assert.Empty(flags);
    }

    [Fact]
    public void RangeForAnotherSpecimen_DoesNotApply()
    {
        TestRules.Default.Catalog.TryGetByCode("dopamine", out var dopamine);
        var (flags, normal) = RangeRule.Evaluate(dopamine!, ResultValue.FromNumber(6.2m), new RangeContext("serum", null, null, null, null), "v1");
        Assert.Empty(flags);
        Assert.Null(normal);
    }

    [Fact]
    public void ReferenceText_IsWrittenAsObx7Does()
    {
        Assert.Equal("30-80", RangeRule.ToReferenceText(Mirtazapine.Ranges[0]));
        Assert.Equal("<160", RangeRule.ToReferenceText(Mirtazapine.Ranges[1]));
    }

    private static Analyte Mirtazapine => TestRules.Default.Catalog.TryGetByCode("mirtazapine", out var a) ? a : throw new InvalidOperationException();

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
