using MirtLab.Core.Units;

namespace MirtLab.Readers.Text;

/// <summary>Unit texts as exports write them, in a header's brackets or in a units column.</summary>
internal static class UnitText
{
    /// <summary>
    /// True when two unit texts name the same concentration scale (<c>ng/ml</c> and <c>ng/mL</c>, or
    /// <c>ng/mL</c> and <c>ug/L</c>). Texts MirtLab does not know as units must match exactly, ignoring case and spaces.
    /// </summary>
    public static bool SameUnit(string a, string b)
    {
        if (UnitSpellings.TryResolve(a, out var ua) && UnitSpellings.TryResolve(b, out var ub))
        {
            return ua.Dimension == ub.Dimension && ua.FactorToBase == ub.FactorToBase;
        }

        return string.Equals(Compact(a), Compact(b), StringComparison.OrdinalIgnoreCase);

        static string Compact(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));
    }
}
