using System.Globalization;

namespace MirtLab.Core.Rules;

/// <summary>Turns the doubles of regression and peak arithmetic into the decimals MirtLab reports.</summary>
internal static class Reported
{
    /// <summary>The value to <paramref name="digits"/> significant digits; null when it is not a finite number a decimal can hold.</summary>
    public static decimal? Significant(double? value, int digits = 6)
    {
        if (value is not double v || !double.IsFinite(v) || Math.Abs(v) >= 1e27)
        {
            return null;
        }

        if (v == 0d)
        {
            return 0m;
        }

        return decimal.Parse(v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>A percentage to one decimal.</summary>
    public static decimal? Percent(double? value) =>
        value is double v && double.IsFinite(v) && Math.Abs(v) < 1e20 ? Math.Round((decimal)v, 1, MidpointRounding.AwayFromZero) : null;

    /// <summary>A number for a message: <paramref name="digits"/> significant digits, invariant culture.</summary>
    public static string Text(double value, int digits = 4) => value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A signed percentage for a message (<c>+2.6%</c>, <c>-0.4%</c>).</summary>
    public static string SignedPercent(double value) => value.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
}
