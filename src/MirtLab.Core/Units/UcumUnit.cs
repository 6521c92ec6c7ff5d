using System.Diagnostics.CodeAnalysis;

namespace MirtLab.Core.Units;

/// <summary>What a unit measures. Only mass and substance concentrations convert into each other (through a molar mass).</summary>
public enum UnitDimension
{
    MassConcentration,
    SubstanceConcentration,

    /// <summary>A ratio of two like quantities (UCUM <c>1</c>), such as a metabolite/parent ratio.</summary>
    Dimensionless,

    /// <summary>A concentration per daily dose (<c>ng/mL/(mg/d)</c>), the dose-normalised level.</summary>
    ConcentrationPerDose,
}

/// <summary>
/// A unit MirtLab can report, identified by its case-sensitive UCUM code
/// (system http://unitsofmeasure.org). The set is closed on purpose: a unit outside it is an
/// error, never a guess.
/// </summary>
public sealed class UcumUnit : IEquatable<UcumUnit>
{
    // Factors to the dimension's base (pg/mL for mass, pmol/L for substance), exact in decimal.
    public static readonly UcumUnit PicogramPerMilliliter = new("pg/mL", UnitDimension.MassConcentration, 1m);
    public static readonly UcumUnit NanogramPerLiter = new("ng/L", UnitDimension.MassConcentration, 1m);
    public static readonly UcumUnit NanogramPerMilliliter = new("ng/mL", UnitDimension.MassConcentration, 1_000m);
    public static readonly UcumUnit MicrogramPerLiter = new("ug/L", UnitDimension.MassConcentration, 1_000m);
    public static readonly UcumUnit MicrogramPerMilliliter = new("ug/mL", UnitDimension.MassConcentration, 1_000_000m);
    public static readonly UcumUnit MilligramPerLiter = new("mg/L", UnitDimension.MassConcentration, 1_000_000m);
    public static readonly UcumUnit NanogramPerMicroliter = new("ng/uL", UnitDimension.MassConcentration, 1_000_000m);
    public static readonly UcumUnit PicomolePerLiter = new("pmol/L", UnitDimension.SubstanceConcentration, 1m);
    public static readonly UcumUnit NanomolePerLiter = new("nmol/L", UnitDimension.SubstanceConcentration, 1_000m);
    public static readonly UcumUnit MicromolePerLiter = new("umol/L", UnitDimension.SubstanceConcentration, 1_000_000m);
    public static readonly UcumUnit Ratio = new("1", UnitDimension.Dimensionless, 1m);
    public static readonly UcumUnit NanogramPerMilliliterPerDailyDose = new("ng/mL/(mg/d)", UnitDimension.ConcentrationPerDose, 1m);

    public static IReadOnlyList<UcumUnit> All { get; } =
    [
        PicogramPerMilliliter, NanogramPerLiter, NanogramPerMilliliter, MicrogramPerLiter, MicrogramPerMilliliter,
        MilligramPerLiter, NanogramPerMicroliter, PicomolePerLiter, NanomolePerLiter, MicromolePerLiter,
        Ratio, NanogramPerMilliliterPerDailyDose,
    ];

    private UcumUnit(string code, UnitDimension dimension, decimal factorToBase)
    {
        Code = code;
        Dimension = dimension;
        FactorToBase = factorToBase;
    }

    /// <summary>The UCUM code, case-sensitive: <c>ng/mL</c>, <c>pmol/L</c>.</summary>
    public string Code { get; }

    public UnitDimension Dimension { get; }

    /// <summary>How many base units (pg/mL, pmol/L, or the unit itself) one of this unit is.</summary>
    public decimal FactorToBase { get; }

    /// <summary>Finds a unit by its exact UCUM code (case-sensitive, as UCUM requires).</summary>
    public static bool TryFromCode(string? code, [NotNullWhen(true)] out UcumUnit? unit)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code, code, StringComparison.Ordinal))
            {
                unit = candidate;
                return true;
            }
        }

        unit = null;
        return false;
    }

    public bool Equals(UcumUnit? other) => other is not null && string.Equals(Code, other.Code, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as UcumUnit);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    public override string ToString() => Code;
}
