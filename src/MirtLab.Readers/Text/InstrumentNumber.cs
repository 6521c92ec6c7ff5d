using System.Globalization;
using MirtLab.Core.Results;

namespace MirtLab.Readers.Text;

/// <summary>How a cell parsed: a value (number or a recognised "no value" token), or not a number at all.</summary>
public enum CellParse
{
    Number,
    Token,
    Invalid,
}

/// <summary>
/// Parses numbers as instruments write them, in the exporting PC's culture: <c>6.53e+001</c>, <c>4930.</c>
/// (trailing dot), <c>"9,754"</c> (German, quoted), <c>2.22045e-015</c>. The missing-value tokens
/// (FORMATS.md) never become a number, and certainly not 0.
/// </summary>
public static class InstrumentNumber
{
    private const NumberStyles Style = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite
        | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private static readonly Dictionary<string, ValueKind> Tokens = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = ValueKind.NoValue,
        ["N/A"] = ValueKind.NoValue,
        ["NA"] = ValueKind.NoValue,
        ["n.a."] = ValueKind.NoValue,
        ["#DIV/0!"] = ValueKind.NoValue,
        ["#VALUE!"] = ValueKind.NoValue,
        ["#N/A"] = ValueKind.NoValue,
        ["?"] = ValueKind.NoValue,
        ["-"] = ValueKind.NoValue,
        ["No inj"] = ValueKind.NoValue,
        ["< 0"] = ValueKind.NoValue,
        ["<0"] = ValueKind.NoValue,
        ["No Peak"] = ValueKind.NotDetected,
        ["ND"] = ValueKind.NotDetected,
        ["n.d."] = ValueKind.NotDetected,
        ["Not Found"] = ValueKind.NotDetected,
        ["Not Detected"] = ValueKind.NotDetected,
        ["Infinity"] = ValueKind.NotReportable,
        ["-Infinity"] = ValueKind.NotReportable,
        ["∞"] = ValueKind.NotReportable,
        ["-∞"] = ValueKind.NotReportable,
        ["NaN"] = ValueKind.NotReportable,
        ["#NUM!"] = ValueKind.NotReportable,
    };

    /// <summary>Parses a plain number; false for tokens and garbage alike.</summary>
    public static bool TryParseDecimal(string? text, CultureInfo culture, out decimal value)
    {
        value = 0m;
        if (text is null)
        {
            return false;
        }

        var trimmed = Unquote(text);
        return trimmed.Length > 0 && decimal.TryParse(trimmed, Style, culture, out value);
    }

    /// <summary>Parses a plain number as double (peak areas and other responses, used for regression).</summary>
    public static bool TryParseDouble(string? text, CultureInfo culture, out double value)
    {
        value = 0d;
        if (text is null)
        {
            return false;
        }

        var trimmed = Unquote(text);
        return trimmed.Length > 0
            && double.TryParse(trimmed, Style, culture, out value)
            && double.IsFinite(value);
    }

    /// <summary>Parses a result cell: a number, a known "no value" token, or invalid.</summary>
    public static CellParse ParseValue(string text, CultureInfo culture, out ResultValue value)
    {
        var trimmed = Unquote(text);
        if (Tokens.TryGetValue(trimmed, out var kind))
        {
            value = kind switch
            {
                ValueKind.NotDetected => ResultValue.NotDetected(trimmed),
                ValueKind.NotReportable => ResultValue.NotReportable(trimmed),
                _ => ResultValue.NoValue(trimmed),
            };
            return CellParse.Token;
        }

        if (decimal.TryParse(trimmed, Style, culture, out var number))
        {
            value = ResultValue.FromNumber(number);
            return CellParse.Number;
        }

        value = ResultValue.NoValue(trimmed);
        return CellParse.Invalid;
    }

    /// <summary>True when the text is one of the missing-value tokens.</summary>
    public static bool IsMissingToken(string text) => Tokens.ContainsKey(Unquote(text));

    private static string Unquote(string text)
    {
        var t = text.Trim();
        if (t.Length >= 2 && t[0] == '"' && t[^1] == '"')
        {
            t = t[1..^1].Trim();
        }

        return t;
    }
}
