using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// Internal-standard response (FDA "Evaluation of Internal Standard Responses During Chromatographic Bioanalysis",
/// Q&amp;A 2019): each calibrator, QC and patient sample against the mean IS response of the calibrators and QCs,
/// and the trend of the IS response across the run. The guidance sets no number; the band is the lab's SOP.
/// A patient sample outside the band is held on its own (its extraction or ionisation is suspect, not the run's);
/// a drift asks for the run to be reviewed.
/// </summary>
internal static class InternalStandardRule
{
    public static (InjectionRuleResult Result, decimal? Mean) Evaluate(IReadOnlyList<EvaluatedResult> ordered, string internalStandard, bool expected, AcceptanceCriteria criteria)
    {
        var reference = ordered
            .Where(r => r.SampleType is SampleType.Standard or SampleType.QualityControl)
            .Select(r => InjectionOrder.Dec(r.Raw.InternalStandardArea))
            .Where(a => a is > 0m)
            .Select(a => a!.Value)
            .ToList();
        if (reference.Count == 0)
        {
            if (expected && ordered.All(r => r.Raw.InternalStandardArea is null))
            {
                return (InjectionRuleResult.Empty with
                {
                    Checks = [new RunCheck("internal-standard.response", CheckOutcome.Review, $"not assessed: the export carries no {internalStandard} areas", "IS response of every sample", CheckScope.Advisory)],
                }, null);
            }

            return (InjectionRuleResult.Empty, null);
        }

        var mean = reference.Average();
        var low = criteria.InternalStandardLowPercent;
        var high = criteria.InternalStandardHighPercent;
        var band = FormattableString.Invariant($"{low}–{high}% of the calibrators' and QCs' mean IS response");
        var figures = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var outside = new List<(EvaluatedResult Row, decimal? Percent)>();
        var holds = new List<SampleHold>();
        foreach (var row in ordered.Where(r => r.SampleType is SampleType.Standard or SampleType.QualityControl or SampleType.Unknown))
        {
            var area = InjectionOrder.Dec(row.Raw.InternalStandardArea);
            decimal? exact = area is decimal a ? a / mean * 100m : null;
            decimal? percent = exact is decimal e ? Math.Round(e, 1, MidpointRounding.AwayFromZero) : null;
            if (percent is decimal p)
            {
                figures[row.ResultKey] = p;
            }

            if (exact is decimal inBand && inBand >= low && inBand <= high)
            {
                continue;
            }

            outside.Add((row, percent));
            if (row.IsPatientResult)
            {
                holds.Add(new SampleHold(
                    row.ResultKey,
                    row.Raw.SampleName,
                    "internal-standard.response",
                    percent is decimal q
                        ? $"{internalStandard} response {InjectionOrder.Percent(q)} of the calibrators' and QCs' mean (band {InjectionOrder.Number(low)}–{InjectionOrder.Number(high)}%)"
                        : $"no {internalStandard} area for this injection"));
            }
        }

        var checks = new List<RunCheck>
        {
            new(
                "internal-standard.response",
                outside.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Review,
                outside.Count == 0
                    ? FormattableString.Invariant($"every calibrator, QC and patient sample has its {internalStandard} response within {low}–{high}% of the mean {InjectionOrder.Number(Math.Round(mean))}")
                    : FormattableString.Invariant($"{internalStandard} response outside {low}–{high}% of the mean {InjectionOrder.Number(Math.Round(mean))}: {string.Join(", ", outside.Select(o => $"{o.Row.Raw.SampleName} ({(o.Percent is decimal p ? InjectionOrder.Percent(p) : "no IS area")}{(o.Row.IsPatientResult ? ", held" : string.Empty)})"))}"),
                band,
                CheckScope.Samples),
        };

        if (Drift(ordered, r => figures.TryGetValue(r.ResultKey, out var p) && !outside.Any(o => o.Row == r)) is (decimal drift, int points))
        {
            var ok = Math.Abs(drift) <= criteria.InternalStandardDriftPercent;
            checks.Add(new RunCheck(
                "internal-standard.drift",
                ok ? CheckOutcome.Pass : CheckOutcome.Review,
                FormattableString.Invariant($"{internalStandard} response changes {InjectionOrder.Signed(drift)} of its mean from the first to the last of {points} injections inside the band (regression on injection order)"),
                FormattableString.Invariant($"≤{criteria.InternalStandardDriftPercent}% drift across the run (lab SOP)")));
        }

        return (new InjectionRuleResult(checks, holds, figures), mean);
    }

    /// <summary>
    /// The least-squares line of IS response on injection position, from the first to the last injection, in percent
    /// of the mean: one number for a trend that single-sample bands miss (a source fouling during a long run). Only
    /// injections inside the band count: a single outlier is held on its own and must not pose as a trend.
    /// </summary>
    private static (decimal Percent, int Points)? Drift(IReadOnlyList<EvaluatedResult> ordered, Func<EvaluatedResult, bool> inBand)
    {
        var points = ordered
            .Select((r, i) => (Row: r, Position: (double)i))
            .Where(p => p.Row.SampleType is SampleType.Standard or SampleType.QualityControl or SampleType.Unknown && p.Row.Raw.InternalStandardArea is > 0d && inBand(p.Row))
            .Select(p => (X: p.Position, Y: p.Row.Raw.InternalStandardArea!.Value))
            .ToList();
        if (points.Count < 3)
        {
            return null;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        if (sxx == 0d)
        {
            return null;
        }

        var slope = points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / sxx;
        var change = slope * (points[^1].X - points[0].X) / meanY * 100d;
        return Reported.Percent(change) is decimal percent ? (percent, points.Count) : null;
    }
}
