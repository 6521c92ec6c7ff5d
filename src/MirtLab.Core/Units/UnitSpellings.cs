using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MirtLab.Core.Units;

/// <summary>
/// Maps the spellings instruments write (<c>ng/ml</c>, <c>µg/L</c>, <c>ng / mL</c>, <c>mcg/L</c>) to UCUM units.
/// Only spellings listed here are accepted; anything else is an unknown unit.
/// </summary>
public static class UnitSpellings
{
    private static readonly Dictionary<string, UcumUnit> Known = Build();

    /// <summary>Resolves an instrument's unit text; false when it is not a known concentration spelling.</summary>
    public static bool TryResolve(string? text, [NotNullWhen(true)] out UcumUnit? unit)
    {
        unit = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        return Known.TryGetValue(Canonicalise(text), out unit);
    }

    /// <summary>
    /// Reduces a spelling to a lookup key: no whitespace, micro sign and Greek mu and "mc" as "u", lower case.
    /// Lower-casing is safe for this closed set: no two accepted units differ only by case.
    /// </summary>
    private static string Canonicalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (char.IsWhiteSpace(ch))
            {
                continue;
            }

            builder.Append(ch switch
            {
                '\u00B5' or '\u03BC' => 'u', // micro sign, Greek small mu
                _ => char.ToLowerInvariant(ch),
            });
        }

        return builder.ToString().Replace("mcg/", "ug/", StringComparison.Ordinal);
    }

    private static Dictionary<string, UcumUnit> Build()
    {
        var map = new Dictionary<string, UcumUnit>(StringComparer.Ordinal);
        // Only concentrations: a ratio or a dose-normalised level is computed by MirtLab, never read.
        foreach (var unit in UcumUnit.All.Where(u => u.Dimension is UnitDimension.MassConcentration or UnitDimension.SubstanceConcentration))
        {
            map[Canonicalise(unit.Code)] = unit;
        }

        // Shorthands such as "nM" are left out on purpose: lower-cased they collide with lengths,
        // and a unit that needs a guess is refused.
        return map;
    }
}
