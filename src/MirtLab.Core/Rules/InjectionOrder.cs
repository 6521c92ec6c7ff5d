using MirtLab.Core.Results;

namespace MirtLab.Core.Rules;

/// <summary>What a per-injection rule found: its checks, the patient results it holds, and a figure per injection (by result key).</summary>
internal sealed record InjectionRuleResult(IReadOnlyList<Runs.RunCheck> Checks, IReadOnlyList<Runs.SampleHold> Holds, IReadOnlyDictionary<string, decimal> Figures)
{
    public static InjectionRuleResult Empty { get; } = new([], [], new Dictionary<string, decimal>());
}

/// <summary>Injection order of one compound's rows: acquisition time, then file, line and column (the order the export lists them).</summary>
internal static class InjectionOrder
{
    public static IReadOnlyList<EvaluatedResult> Of(IEnumerable<EvaluatedResult> rows) => rows
        .OrderBy(r => r.Raw.AcquiredLocal is null ? 1 : 0)
        .ThenBy(r => r.Raw.AcquiredLocal)
        .ThenBy(r => r.Raw.Source.File ?? string.Empty, StringComparer.Ordinal)
        .ThenBy(r => r.Raw.Source.Line)
        .ThenBy(r => r.Raw.Source.Column ?? 0)
        .ToList();

    /// <summary>A finite double as a decimal (instrument figures are doubles; MirtLab compares and reports decimals).</summary>
    public static decimal? Dec(double? value) => value is double v && double.IsFinite(v) && Math.Abs(v) < 1e27 ? (decimal)v : null;

    /// <summary>True for a row whose peak was found: a number, or a positive area.</summary>
    public static bool HasPeak(EvaluatedResult r) => r.Raw.Area is > 0d || (r.Raw.Area is null && r.Raw.Value.Kind is ValueKind.Number or ValueKind.BelowLimit or ValueKind.AboveLimit);

    public static string Percent(decimal value) => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static string Signed(decimal value) => value.ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static string Number(decimal value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
