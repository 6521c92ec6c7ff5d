namespace MirtLab.Core.Units;

/// <summary>The outcome of a conversion: a value, or the reason it could not be done exactly.</summary>
public readonly record struct ConversionResult(decimal? Value, string? Error)
{
    public bool Succeeded => Error is null;

    public static ConversionResult Ok(decimal value) => new(value, null);

    public static ConversionResult Fail(string error) => new(null, error);
}

/// <summary>
/// Converts concentrations between units with decimal arithmetic. Mass and substance
/// concentrations meet through the molar mass: nmol/L = ng/mL × 1000 / M (DOMAIN.md).
/// Nothing is rounded here; rounding happens once, when a value is reported.
/// </summary>
public static class UnitConversion
{
    /// <param name="value">The value in <paramref name="from"/>.</param>
    /// <param name="from">The unit the value is in.</param>
    /// <param name="to">The unit wanted.</param>
    /// <param name="molarMass">Molar mass in g/mol, required only across dimensions.</param>
    public static ConversionResult Convert(decimal value, UcumUnit from, UcumUnit to, decimal? molarMass)
    {
        if (from.Equals(to))
        {
            return ConversionResult.Ok(value);
        }

        try
        {
            var inBase = value * from.FactorToBase;
            if (from.Dimension != to.Dimension && !IsMassMolarPair(from.Dimension, to.Dimension))
            {
                return ConversionResult.Fail($"{from.Code} cannot be converted to {to.Code}: they measure different things");
            }

            if (from.Dimension != to.Dimension)
            {
                if (molarMass is not decimal m || m <= 0m)
                {
                    return ConversionResult.Fail(
                        $"converting {from.Code} to {to.Code} needs the analyte's molar mass, and none is configured");
                }

                // pg/mL -> pmol/L: × 1000 / M; pmol/L -> pg/mL: × M / 1000.
                inBase = from.Dimension == UnitDimension.MassConcentration
                    ? inBase * 1000m / m
                    : inBase * m / 1000m;
            }

            return ConversionResult.Ok(inBase / to.FactorToBase);
        }
        catch (OverflowException)
        {
            return ConversionResult.Fail($"{value} {from.Code} is too large to convert to {to.Code}");
        }
    }

    private static bool IsMassMolarPair(UnitDimension a, UnitDimension b) =>
        (a, b) is (UnitDimension.MassConcentration, UnitDimension.SubstanceConcentration) or (UnitDimension.SubstanceConcentration, UnitDimension.MassConcentration);
}
