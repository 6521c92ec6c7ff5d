using System.Globalization;
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
