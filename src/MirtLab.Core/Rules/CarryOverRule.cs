using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// Carry-over (ICH M10 §3.2.6): in the first blank or double blank injected after a highest-level calibrator, the
/// analyte response may be at most 20% of the LLOQ calibrator's, and in the first double blank after it the IS
/// response at most 5% of the mean IS response. A blank (zero sample) contains IS by design, so only a double blank
/// can show IS carry-over. Exceeding either fails the run: carried-over analyte raises the samples injected after
/// a high one, and MirtLab cannot tell which of them it reached. Without such a blank the check is not made.
/// </summary>
internal static class CarryOverRule
{
    public static RunCheck? Evaluate(IReadOnlyList<EvaluatedResult> ordered, decimal? meanInternalStandard, AcceptanceCriteria criteria)
    {
        var calibrators = ordered.Where(r => r.SampleType == SampleType.Standard && r.Nominal is > 0m).ToList();
        if (calibrators.Count == 0)
        {
            return null;
        }

        var highest = calibrators.Max(c => c.Nominal!.Value);
        var lowest = calibrators.Min(c => c.Nominal!.Value);
        var thresholds = FormattableString.Invariant($"blank after the ULOQ: analyte ≤{criteria.CarryOverAnalytePercentOfLloq}% of the LLOQ response, IS ≤{criteria.CarryOverInternalStandardPercent}% of the mean IS response (ICH M10 §3.2.6)");
        var uloqs = calibrators.Where(c => c.Nominal == highest).ToList();
        var blanks = new List<(EvaluatedResult Uloq, EvaluatedResult Blank)>();
        var doubleBlanks = new List<(EvaluatedResult Uloq, EvaluatedResult Blank)>();
        foreach (var uloq in uloqs)
        {
            var after = ordered.Skip(Position(ordered, uloq) + 1).ToList();
            if (after.FirstOrDefault(r => r.SampleType is SampleType.Blank or SampleType.DoubleBlank) is { } blank && blanks.All(b => b.Blank != blank))
            {
                blanks.Add((uloq, blank));
            }

            if (after.FirstOrDefault(r => r.SampleType == SampleType.DoubleBlank) is { } doubleBlank && doubleBlanks.All(b => b.Blank != doubleBlank))
            {
                doubleBlanks.Add((uloq, doubleBlank));
            }
        }

        var uloqNames = string.Join(", ", uloqs.Select(u => u.Raw.SampleName));
        if (blanks.Count == 0)
        {
            // Advisory: many plate layouts control carry-over at validation and put no blank after the ULOQ;
            // MirtLab says it could not check rather than hold every result of every such run.
            return new RunCheck(
                "carry-over",
                CheckOutcome.Review,
                FormattableString.Invariant($"carry-over not assessed: no blank or double blank was injected after the highest calibrator ({uloqNames}, {InjectionOrder.Number(highest)})"),
                thresholds,
                CheckScope.Advisory);
        }

        var lloqAreas = calibrators.Where(c => c.Nominal == lowest && c.Raw.Area is > 0d).Select(c => InjectionOrder.Dec(c.Raw.Area)!.Value).ToList();
        if (lloqAreas.Count == 0)
        {
            return new RunCheck(
                "carry-over",
                CheckOutcome.Review,
                "carry-over not assessed: the LLOQ calibrators have no peak area to compare with",
                thresholds,
                CheckScope.Advisory);
        }

        var lloqArea = lloqAreas.Average();
        var findings = new List<string>();
        var failed = false;
        foreach (var blank in blanks.Select(b => b.Blank).Concat(doubleBlanks.Select(b => b.Blank)).Distinct())
        {
            var uloq = blanks.Concat(doubleBlanks).First(b => b.Blank == blank).Uloq;
            var parts = new List<string>();
            if (blanks.Any(b => b.Blank == blank))
            {
                decimal? area = InjectionOrder.Dec(blank.Raw.Area) ?? (blank.Raw.Value.Kind == ValueKind.NotDetected ? 0m : null);
                if (area is decimal a)
                {
                    var exact = a / lloqArea * 100m;
                    var percent = Math.Round(exact, 1, MidpointRounding.AwayFromZero);
                    var over = exact > criteria.CarryOverAnalytePercentOfLloq;
                    failed |= over;
                    parts.Add(FormattableString.Invariant($"analyte area {InjectionOrder.Number(a)} = {InjectionOrder.Percent(percent)} of the LLOQ calibrators' {InjectionOrder.Number(Math.Round(lloqArea, 1))}{(over ? ", too high" : string.Empty)}"));
                }
                else
                {
                    parts.Add("no analyte area, not assessed");
                }
            }

            if (doubleBlanks.Any(b => b.Blank == blank))
            {
                if (meanInternalStandard is not decimal meanIs)
                {
                    parts.Add("IS not assessed (the calibrators and QCs have no IS response)");
                }
                else if (InjectionOrder.Dec(blank.Raw.InternalStandardArea) is decimal a)
                {
                    var exact = a / meanIs * 100m;
                    var percent = Math.Round(exact, 1, MidpointRounding.AwayFromZero);
                    var over = exact > criteria.CarryOverInternalStandardPercent;
                    failed |= over;
                    parts.Add(FormattableString.Invariant($"IS area {InjectionOrder.Number(a)} = {InjectionOrder.Percent(percent)} of the mean IS response {InjectionOrder.Number(Math.Round(meanIs))}{(over ? ", too high" : string.Empty)}"));
                }
                else
                {
                    parts.Add("no IS area, IS not assessed");
                }
            }

            findings.Add($"{blank.Raw.SampleName} ({blank.SampleType.ToCode()} after {uloq.Raw.SampleName}): {string.Join(", ", parts)}");
        }

        if (doubleBlanks.Count == 0)
        {
            findings.Add("IS carry-over not assessed: no double blank after the highest calibrator (a blank contains IS by design)");
        }

        return new RunCheck("carry-over", failed ? CheckOutcome.Fail : CheckOutcome.Pass, string.Join("; ", findings), thresholds);
    }

    private static int Position(IReadOnlyList<EvaluatedResult> ordered, EvaluatedResult row)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ReferenceEquals(ordered[i], row))
            {
                return i;
            }
        }

        return -1;
    }
}
