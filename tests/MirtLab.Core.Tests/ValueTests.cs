using MirtLab.Core.Catalog;
using MirtLab.Core.Results;

namespace MirtLab.Core.Tests;

public sealed class ReportingPrecisionTests
{
    [Theory]
    [InlineData(1, "80.04", "80.0")]
    [InlineData(1, "80.05", "80.1")]
    [InlineData(1, "2.45", "2.5")]
    [InlineData(1, "46.3", "46.3")]
    [InlineData(1, "47", "47.0")]
    [InlineData(0, "152.5", "153")]
    [InlineData(2, "6.2", "6.20")]
    public void Decimals_RoundHalfAwayFromZeroAndKeepTrailingZeros(int decimals, string value, string expected)
    {
        var precision = new ReportingPrecision(decimals, null);
        Assert.Equal(expected, precision.Format(Dec(value)));
    }

    [Theory]
    [InlineData(3, "4926.4", "4930")]
    [InlineData(3, "46.34", "46.3")]
    [InlineData(3, "0.012345", "0.0123")]
    [InlineData(2, "0.0995", "0.10")]
    [InlineData(3, "5", "5.00")]
    public void SignificantFigures_RoundToThatManyDigits(int figures, string value, string expected)
    {
        var precision = new ReportingPrecision(null, figures);
        Assert.Equal(expected, precision.Format(Dec(value)));
    }

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ResultValueTests
{
    [Fact]
    public void NoValueTokens_CarryNoNumber_NeverZero()
    {
        foreach (var value in new[] { ResultValue.NoValue("N/A"), ResultValue.NotDetected("No Peak"), ResultValue.NotReportable("Infinity") })
        {
            Assert.Null(value.Number);
            Assert.Null(value.Limit);
            Assert.False(value.IsNumber);
            Assert.NotEqual("0", value.ToString());
        }
    }

    [Theory]
    [InlineData(null, "46.3")]
    [InlineData("<", "<1.0")]
    [InlineData(">", ">200.0")]
    public void Display_LimitsAreReportedWithTheirComparator(string? qualifier, string expected)
    {
        var value = qualifier switch
        {
            null => ResultValue.FromNumber(46.3m),
            "<" => ResultValue.Below(1.0m),
            _ => ResultValue.Above(200.0m),
        };
        Assert.Equal(qualifier, value.Qualifier);
        Assert.Equal(expected, value.Display(n => n.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("<")]
    [InlineData(">")]
    [InlineData("not-detected")]
    [InlineData("no-value")]
    [InlineData("not-reportable")]
    public void FromParts_RoundTripsEveryQualifier(string? qualifier)
    {
        var original = qualifier switch
        {
            null => ResultValue.FromNumber(12.5m),
            "<" => ResultValue.Below(1m),
            ">" => ResultValue.Above(200m),
            "not-detected" => ResultValue.NotDetected("ND"),
            "no-value" => ResultValue.NoValue("N/A"),
            _ => ResultValue.NotReportable("Infinity"),
        };
        var copy = ResultValue.FromParts(original.Qualifier, original.Number, original.Limit, original.Token);
        Assert.Equal(original, copy);
    }

    [Fact]
    public void FromParts_AQualifierWithoutItsLimit_IsRefused()
    {
        Assert.Throws<FormatException>(() => ResultValue.FromParts("<", null, null, null));
        Assert.Throws<FormatException>(() => ResultValue.FromParts(null, null, null, null));
    }
}

public sealed class ResultKeysTests
{
    private const string Sha = "da2ccd7e57f022d0d0b12928fa826e2b2672123cc0053f1dbfa6d2ad7701a54e";

    [Fact]
    public void ResultKey_IsDerivedFromContent_AndStable()
    {
        var a = ResultKeys.ResultKey(Sha, new SourcePosition(null, 61), "Mirtazapine");
        var b = ResultKeys.ResultKey(Sha, new SourcePosition(null, 61), " Mirtazapine ");
        Assert.Equal(a, b);
        Assert.Equal(32, a.Length);
    }

    [Fact]
    public void ResultKey_DiffersByLineFileAndCompound()
    {
        var keys = new[]
        {
            ResultKeys.ResultKey(Sha, new SourcePosition(null, 61), "Mirtazapine"),
            ResultKeys.ResultKey(Sha, new SourcePosition(null, 62), "Mirtazapine"),
            ResultKeys.ResultKey(Sha, new SourcePosition("REPORT01.CSV", 61), "Mirtazapine"),
            ResultKeys.ResultKey(Sha, new SourcePosition(null, 61), "N-desmethylmirtazapine"),
        };
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void RunKey_IsThePrefixOfTheContentHash()
    {
        Assert.Equal(Sha[..20], ResultKeys.RunKey(Sha));
    }
}
