using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// Statistical QC across runs for one analyte: a target (mean, SD) per QC level, configured or established from the
/// last N accepted observations the host supplied (CLSI C24: at least 20), the Levey-Jennings chart, and the Westgard
/// rules. A rejection rule fails the run; the 1-2s warning and missing targets are advisory, because Westgard uses
/// 1-2s only to prompt inspection (as a rejection rule it rejects about one run in ten with two controls) and a lab
/// building its history must still be able to release runs that pass ICH M10's own QC criteria.
/// </summary>
internal static class QcControlRule
{
    public static (IReadOnlyList<QcLevelChart> Charts, IReadOnlyList<WestgardViolation> Violations, IReadOnlyList<RunCheck> Checks) Evaluate(
        string analyteCode,
        IReadOnlyList<EvaluatedResult> orderedQcs,
        string runKey,
        IReadOnlyList<QcTarget> configured,
        RunContext context,
        AcceptanceCriteria criteria,
        string? unit)
    {
        var observed = orderedQcs.Where(q => q.Nominal is > 0m && q.UnroundedNumber is not null).ToList();
        if (observed.Count == 0)
        {
            return ([], [], []);
        }

        var thisRun = observed
            .Select(q => new QcChartPoint(runKey, q.AcquiredUtc, q.Raw.SampleName, q.Nominal!.Value, q.UnroundedNumber!.Value, null, true))
            .ToList();
        var charts = new List<QcLevelChart>();
        var targets = new List<WestgardTarget>();
        var history = new List<QcChartPoint>();
        var notEstablished = new List<(decimal Level, string Why)>();
        foreach (var level in thisRun.Select(p => p.Level).Distinct().Order())
        {
            var name = observed.First(q => q.Nominal == level).Raw.Level is { Length: > 0 } l ? l.Trim() : level.ToString(CultureInfo.InvariantCulture);
            var past = context.QcHistory.TryGetValue((analyteCode, level), out var list)
                ? list.Select(o => new QcChartPoint(o.RunKey, o.AcquiredUtc, o.SampleName, level, o.Value, null, false)).ToList()
                : [];
            var (target, source, why) = Target(analyteCode, level, past, configured, context, criteria);
            if (target is not null)
            {
                targets.Add(target);
            }
            else
            {
                notEstablished.Add((level, why!));
            }

            history.AddRange(past);
            charts.Add(new QcLevelChart
            {
                Level = level,
                Name = name,
                Mean = target?.Mean,
                Sd = target?.Sd,
                TargetSource = source,
                NoTargetReason = why,
                Points = past.Concat(thisRun.Where(p => p.Level == level))
                    .Select(p => target is null ? p : p with { ZScore = Math.Round(WestgardRules.ZScore(p.Value, target), 2, MidpointRounding.AwayFromZero) })
                    .ToList(),
            });
        }

        var checks = new List<RunCheck>();
        if (notEstablished.Count > 0)
        {
            checks.Add(new RunCheck(
                "westgard.targets",
                CheckOutcome.Review,
                "targets not yet established, Westgard rules not applied: " + string.Join("; ", notEstablished
                    .GroupBy(n => n.Why)
                    .Select(g => $"QC level {string.Join(", ", g.Select(n => Number(n.Level)))}{Unit(unit)} ({g.Key})")),
                FormattableString.Invariant($"qcTargets in the configuration, or the last {criteria.QcTargetObservations} accepted observations"),
                CheckScope.Advisory));
        }

        if (targets.Count == 0)
        {
            return (charts, [], checks);
        }

        var violations = WestgardRules.Evaluate(targets, history, thisRun, criteria.WestgardRules, unit);
        var applied = string.Join(", ", criteria.WestgardRules);
        foreach (var rule in AcceptanceCriteria.AllWestgardRules)
        {
            var fired = violations.Where(v => string.Equals(v.Rule, rule, StringComparison.Ordinal)).ToList();
            if (fired.Count == 0)
            {
                continue;
            }

            var warning = rule == "1-2s";
            checks.Add(new RunCheck(
                "westgard." + rule,
                warning ? CheckOutcome.Review : CheckOutcome.Fail,
                string.Join("; ", fired.Select(v => v.Message)),
                $"Westgard {rule} ({(warning ? "warning" : "rejection")}); targets: {Targets(charts)}",
                warning ? CheckScope.Advisory : CheckScope.Run));
        }

        if (!violations.Any(v => v.Outcome == CheckOutcome.Fail))
        {
            var judged = thisRun.Count(p => targets.Any(t => t.Level == p.Level));
            checks.Add(new RunCheck(
                "westgard",
                CheckOutcome.Pass,
                FormattableString.Invariant($"{judged} QC results at {targets.Count} levels within the Westgard rejection rules"),
                $"{applied}; targets: {Targets(charts)}"));
        }

        return (charts, violations, checks);
    }

    private static (WestgardTarget? Target, string? Source, string? Why) Target(
        string analyteCode, decimal level, List<QcChartPoint> past, IReadOnlyList<QcTarget> configured, RunContext context, AcceptanceCriteria criteria)
    {
        if (configured.FirstOrDefault(t => string.Equals(t.Analyte, analyteCode, StringComparison.Ordinal) && t.Level == level) is { } set)
        {
            return (new WestgardTarget(level, set.Mean, set.Sd), "configured" + (set.Source is { Length: > 0 } s ? ": " + s : string.Empty), null);
        }

        if (context.QcHistoryUnavailable is { } unavailable)
        {
            return (null, null, "QC history unavailable: " + unavailable);
        }

        var n = criteria.QcTargetObservations;
        if (past.Count < n)
        {
            return (null, null, FormattableString.Invariant($"{past.Count} of {n} accepted observations, none configured"));
        }

        var window = past.Skip(past.Count - n).Select(p => p.Value).ToList();
        var mean = window.Average();
        var variance = window.Sum(v => (v - mean) * (v - mean)) / (window.Count - 1);
        var sd = (decimal)Math.Sqrt((double)variance);
        if (sd <= 0m)
        {
            return (null, null, FormattableString.Invariant($"the last {n} observations are all {Number(mean)}: no SD"));
        }

        return (new WestgardTarget(level, Math.Round(mean, 6), Math.Round(sd, 6)), FormattableString.Invariant($"history: mean and SD of the last {n} accepted observations"), null);
    }

    private static string Targets(IEnumerable<QcLevelChart> charts) => string.Join(", ", charts.Where(c => c.Mean is not null).Select(c =>
        FormattableString.Invariant($"{Number(c.Level)}: {Number(c.Mean!.Value)} ± {Number(c.Sd!.Value)} ({c.TargetSource})")));

    private static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Unit(string? unit) => unit is null ? string.Empty : " " + unit;
}
