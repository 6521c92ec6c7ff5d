using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Sciex;

/// <summary>How a yes/no cell parsed.</summary>
internal enum FlagCell
{
    Empty,
    True,
    False,
    Invalid,
}

/// <summary>Cell conventions shared by the SCIEX exports (Analyst, MultiQuant, SCIEX OS).</summary>
internal static class SciexCells
{
    public static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>Text that means "nothing written": empty or a missing-value token such as <c>N/A</c>.</summary>
    public static string? NullIfMissing(string text) => InstrumentNumber.IsMissingToken(text) ? null : text;

    public static string CultureName(CultureInfo culture) => culture.Name.Length == 0 ? "invariant" : culture.Name;

    /// <summary>An optional number cell: null when the column is absent or the cell says no value; a cell that is not a number is reported (located) and null.</summary>
    public static decimal? Decimal(IReadOnlyList<string> fields, Column column, string what, CultureInfo culture, int line, IReadSink sink)
    {
        var text = column.Get(fields);
        if (!column.Exists || InstrumentNumber.IsMissingToken(text))
        {
            return null;
        }

        if (InstrumentNumber.TryParseDecimal(text, culture, out var number))
        {
            return number;
        }

        Error(sink, line, DiagnosticCodes.UnparsableNumber, column, $"{what} '{text}' is not a number in culture {CultureName(culture)}");
        return null;
    }

    /// <inheritdoc cref="Decimal"/>
    public static double? Double(IReadOnlyList<string> fields, Column column, string what, CultureInfo culture, int line, IReadSink sink)
    {
        var text = column.Get(fields);
        if (!column.Exists || InstrumentNumber.IsMissingToken(text))
        {
            return null;
        }

        if (InstrumentNumber.TryParseDouble(text, culture, out var number))
        {
            return number;
        }

        Error(sink, line, DiagnosticCodes.UnparsableNumber, column, $"{what} '{text}' is not a number in culture {CultureName(culture)}");
        return null;
    }

    /// <summary>An error located at a row's cell, naming the column.</summary>
    public static void Error(IReadSink sink, int line, string code, Column column, string message) =>
        sink.OnDiagnostic(new Diagnostic(code, DiagnosticSeverity.Error, $"{message} (column '{column.Header}')", Line: line, Column: column.Number));

    /// <summary>
    /// SCIEX OS writes <c>TRUE</c>/<c>FALSE</c>; Analyst writes <c>1</c>/<c>0</c>; MultiQuant users have
    /// exported <c>True</c>/<c>False</c> and <c>Yes</c>/<c>No</c>. Empty and <c>N/A</c> mean "not stated".
    /// </summary>
    public static FlagCell ParseFlag(string text)
    {
        var t = text.Trim();
        if (InstrumentNumber.IsMissingToken(t))
        {
            return FlagCell.Empty;
        }

        if (t.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || t.Equals("Yes", StringComparison.OrdinalIgnoreCase) || t == "1")
        {
            return FlagCell.True;
        }

        if (t.Equals("FALSE", StringComparison.OrdinalIgnoreCase) || t.Equals("No", StringComparison.OrdinalIgnoreCase) || t == "0")
        {
            return FlagCell.False;
        }

        return FlagCell.Invalid;
    }
}
