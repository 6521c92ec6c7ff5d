using System.Globalization;

namespace MirtLab.Core.Catalog;

/// <summary>The kinds of limits an analyte can have, and the HL7 table 0078 flags each raises.</summary>
public enum RangeKind
{
    /// <summary>Reference interval: <c>L</c> / <c>H</c>.</summary>
    Reference,

    /// <summary>Therapeutic reference range of a drug: <c>L</c> / <c>H</c>.</summary>
    Therapeutic,

    /// <summary>Critical (panic) limits: <c>LL</c> / <c>HH</c>.</summary>
    Critical,

    /// <summary>Laboratory alert level of a drug (AGNP): <c>LL</c> / <c>HH</c>.</summary>
    Alert,
}

/// <summary>Who a range applies to. Every condition that is set must match; an unset condition matches anything.</summary>
public sealed record RangeConditions(
    string? Specimen = null,
    string? Sex = null,
    decimal? AgeMinYears = null,
    decimal? AgeMaxYears = null,
    string? Method = null,
    string? Instrument = null)
{
    public static RangeConditions Any { get; } = new();

    public bool Matches(RangeContext context)
    {
        return Same(Specimen, context.Specimen)
            && Same(Sex, context.Sex)
            && Same(Method, context.Method)
            && Same(Instrument, context.Instrument)
            && (AgeMinYears is null || (context.AgeYears is decimal a1 && a1 >= AgeMinYears))
            && (AgeMaxYears is null || (context.AgeYears is decimal a2 && a2 < AgeMaxYears));

        static bool Same(string? wanted, string? actual) =>
            wanted is null || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when some context could match both (used to refuse overlapping configuration).</summary>
    public bool CanOverlap(RangeConditions other)
    {
        return Compatible(Specimen, other.Specimen)
            && Compatible(Sex, other.Sex)
            && Compatible(Method, other.Method)
            && Compatible(Instrument, other.Instrument)
            && (AgeMinYears ?? decimal.MinValue) < (other.AgeMaxYears ?? decimal.MaxValue)
            && (other.AgeMinYears ?? decimal.MinValue) < (AgeMaxYears ?? decimal.MaxValue);

        static bool Compatible(string? a, string? b) =>
            a is null || b is null || string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Specimen is not null) parts.Add("specimen " + Specimen);
        if (Sex is not null) parts.Add("sex " + Sex);
        if (AgeMinYears is not null || AgeMaxYears is not null) parts.Add(FormattableString.Invariant($"age {AgeMinYears ?? 0m}–{(AgeMaxYears is decimal max ? max.ToString(CultureInfo.InvariantCulture) : "∞")} y"));
        if (Method is not null) parts.Add("method " + Method);
        if (Instrument is not null) parts.Add("instrument " + Instrument);
        return parts.Count == 0 ? "all" : string.Join(", ", parts);
    }
}

/// <summary>What is known about the sample a result belongs to, for choosing the range that applies.</summary>
public sealed record RangeContext(string? Specimen, string? Sex, decimal? AgeYears, string? Method, string? Instrument);

/// <summary>
/// One configured range, in the analyte's canonical unit. Limits are inclusive of the normal side:
/// a value equal to <see cref="High"/> is inside, only a value above it is flagged.
/// </summary>
public sealed record AnalyteRange(
    string Id,
    RangeKind Kind,
    decimal? Low,
    decimal? High,
    string? Source,
    RangeConditions When)
{
    public bool FlagsAsCritical => Kind is RangeKind.Critical or RangeKind.Alert;
}
