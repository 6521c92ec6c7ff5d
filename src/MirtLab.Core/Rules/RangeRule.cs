using System.Globalization;
using MirtLab.Core.Catalog;
using MirtLab.Core.Results;

namespace MirtLab.Core.Rules;

/// <summary>
/// Flags a patient value against the ranges configured for its analyte: <c>L</c>/<c>H</c> outside the
/// reference or therapeutic range, <c>LL</c>/<c>HH</c> beyond critical or alert limits (the more severe
/// flag replaces the milder one in the same direction). A value reported as a limit (<c>&lt;5.0</c>) is
/// flagged only when the limit itself proves it: &lt;5.0 is below a low of 30, &lt;50 is not.
/// </summary>
public static class RangeRule
{
    public static (IReadOnlyList<ResultFlag> Flags, AnalyteRange? Normal) Evaluate(
        Analyte analyte, ResultValue value, RangeContext context, string configVersion)
    {
        var normal = analyte.Ranges.FirstOrDefault(r => !r.FlagsAsCritical && r.When.Matches(context));
        var critical = analyte.Ranges.FirstOrDefault(r => r.FlagsAsCritical && r.When.Matches(context));
        var flags = new List<ResultFlag>();
        var unit = analyte.Unit.Code;

        var (provablyBelow, provablyAbove) = value.Kind switch
        {
            ValueKind.Number => ((Func<decimal, bool>)(limit => value.Number!.Value < limit), (Func<decimal, bool>)(limit => value.Number!.Value > limit)),
            ValueKind.BelowLimit => (limit => value.Limit!.Value <= limit, _ => false),
            ValueKind.AboveLimit => (_ => false, limit => value.Limit!.Value >= limit),
            _ => ((Func<decimal, bool>)(_ => false), (Func<decimal, bool>)(_ => false)),
        };

        if (critical?.Low is decimal criticalLow && provablyBelow(criticalLow))
        {
            flags.Add(Flag(Hl7Flags.CriticalLow, critical, $"below the {KindName(critical)} limit {Format(criticalLow)} {unit}"));
        }
        else if (normal?.Low is decimal low && provablyBelow(low))
        {
            flags.Add(Flag(Hl7Flags.Low, normal, $"below the {KindName(normal)} range low {Format(low)} {unit}"));
        }

        if (critical?.High is decimal criticalHigh && provablyAbove(criticalHigh))
        {
            flags.Add(Flag(Hl7Flags.CriticalHigh, critical, $"above the {KindName(critical)} level {Format(criticalHigh)} {unit}"));
        }
        else if (normal?.High is decimal high && provablyAbove(high))
        {
            flags.Add(Flag(Hl7Flags.High, normal, $"above the {KindName(normal)} range high {Format(high)} {unit}"));
        }

        return (flags, normal);

        ResultFlag Flag(string code, AnalyteRange range, string reason) =>
            new(code, "range:" + range.Id, reason, Describe(range, unit), configVersion);
    }

    /// <summary>A range as OBX-7 writes it: <c>30-80</c>, <c>&lt;30</c>, <c>&gt;5</c>.</summary>
    public static string ToReferenceText(AnalyteRange range) => (range.Low, range.High) switch
    {
        (decimal l, decimal h) => Format(l) + "-" + Format(h),
        (null, decimal h) => "<" + Format(h),
        (decimal l, null) => ">" + Format(l),
        _ => string.Empty,
    };

    public static string Describe(AnalyteRange range, string unit) =>
        $"{KindName(range)} {ToReferenceText(range)} {unit} ({range.When})" + (range.Source is null ? string.Empty : $"; {range.Source}");

    private static string KindName(AnalyteRange range) => range.Kind.ToString().ToLowerInvariant();

    private static string Format(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
