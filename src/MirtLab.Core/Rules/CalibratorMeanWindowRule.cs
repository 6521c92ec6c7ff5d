using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// A per-injection figure judged against the calibrators' mean of the same run: retention time (CLSI C62: within
/// 2.5%) and ion ratio (CLSI C62: within 20% relative). A QC or patient sample outside the window may not be the
/// analyte (an interference, a wrong peak): the patient result is held on its own; the run is not.
/// </summary>
internal static class CalibratorMeanWindowRule
{
    public static InjectionRuleResult RetentionTime(IReadOnlyList<EvaluatedResult> ordered, AcceptanceCriteria criteria) =>
        Evaluate(ordered, "retention-time", "retention time", r => r.RetentionTime, criteria.RetentionTimeTolerancePercent, "CLSI C62");

    public static InjectionRuleResult IonRatio(IReadOnlyList<EvaluatedResult> ordered, AcceptanceCriteria criteria) =>
        Evaluate(ordered, "ion-ratio", "ion ratio", r => r.IonRatio, criteria.IonRatioTolerancePercent, "CLSI C62");

    private static InjectionRuleResult Evaluate(
        IReadOnlyList<EvaluatedResult> ordered, string id, string what, Func<InstrumentResult, double?> figure, decimal tolerance, string source)
    {
        decimal? Value(EvaluatedResult r) => InjectionOrder.HasPeak(r) && InjectionOrder.Dec(figure(r.Raw)) is decimal v && v > 0m ? v : null;

        var reference = ordered.Where(r => r.SampleType == SampleType.Standard).Select(Value).Where(v => v is not null).Select(v => v!.Value).ToList();
        if (reference.Count == 0)
        {
            return InjectionRuleResult.Empty;
        }

        var mean = reference.Average();
        var figures = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var outside = new List<(EvaluatedResult Row, decimal Value, decimal Deviation)>();
        var judged = 0;
        foreach (var row in ordered)
        {
            if (Value(row) is not decimal value)
            {
                continue;
            }

            var deviation = (value - mean) / mean * 100m;
            figures[row.ResultKey] = Math.Round(deviation, 1, MidpointRounding.AwayFromZero);
            if (row.SampleType is not (SampleType.QualityControl or SampleType.Unknown))
            {
                continue;
            }

            judged++;
            if (Math.Abs(deviation) > tolerance)
            {
                outside.Add((row, value, deviation));
            }
        }

        var thresholds = FormattableString.Invariant($"±{tolerance}% of the calibrators' mean {what} ({source})");
        var meanText = InjectionOrder.Number(Math.Round(mean, 3));
        var holds = outside
            .Where(o => o.Row.IsPatientResult)
            .Select(o => new SampleHold(
                o.Row.ResultKey,
                o.Row.Raw.SampleName,
                id,
                FormattableString.Invariant($"{what} {InjectionOrder.Number(o.Value)} is {InjectionOrder.Signed(o.Deviation)} from the calibrators' mean {meanText} (window ±{tolerance}%)")))
            .ToList();
        var check = new RunCheck(
            id,
            outside.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Review,
            outside.Count == 0
                ? FormattableString.Invariant($"{judged} QC and patient injections within ±{tolerance}% of the calibrators' mean {what} {meanText}")
                : FormattableString.Invariant($"{what} outside ±{tolerance}% of the calibrators' mean {meanText}: {string.Join(", ", outside.Select(o => $"{o.Row.Raw.SampleName} {InjectionOrder.Number(o.Value)} ({InjectionOrder.Signed(o.Deviation)}{(o.Row.IsPatientResult ? ", held" : string.Empty)})"))}"),
            thresholds,
            CheckScope.Samples);
        return new InjectionRuleResult([check], holds, figures);
    }
}
