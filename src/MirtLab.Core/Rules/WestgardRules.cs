using System.Globalization;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>A QC level's target: the mean and SD a control is judged against (Levey-Jennings).</summary>
public sealed record WestgardTarget(decimal Level, decimal Mean, decimal Sd);

/// <summary>
/// Westgard multirules (westgard.com, "Westgard Rules and Multirules") over a QC level's observations in time order.
/// z = (value − mean) / SD; every limit is exceeded only when strictly beyond it, so a result exactly at 3.0 SD is a
/// 1-2s warning, not a 1-3s rejection ("exceeds the mean ± 3s"). Only windows that include a result of this run
/// fire: earlier windows were judged with their own run.
/// <list type="bullet">
/// <item>1-2s: one result beyond ±2 SD: a warning (review), not a rejection.</item>
/// <item>1-3s: one result beyond ±3 SD.</item>
/// <item>2-2s: two consecutive results beyond the same 2 SD limit: within a level across runs (and within the run),
/// or at two levels within the run.</item>
/// <item>R-4s: within the run, one result beyond +2 SD and another beyond −2 SD.</item>
/// <item>4-1s: four consecutive results beyond the same 1 SD limit, within a level or across levels.</item>
/// <item>10-x: ten consecutive results on the same side of the mean, within a level or across levels.</item>
/// </list>
/// </summary>
public static class WestgardRules
{
    /// <summary>
    /// Applies <paramref name="rules"/> to this run's QC results (<paramref name="thisRun"/>, injection order) after the
    /// earlier accepted ones (<paramref name="history"/>, time order, all levels). Points whose level has no target are
    /// not judged. Returns the violations with every observation involved, its z-score filled in.
    /// </summary>
    public static IReadOnlyList<WestgardViolation> Evaluate(
        IReadOnlyList<WestgardTarget> targets, IReadOnlyList<QcChartPoint> history, IReadOnlyList<QcChartPoint> thisRun, IReadOnlyCollection<string> rules, string? unit = null)
    {
        var byLevel = targets.ToDictionary(t => t.Level);
        var past = Score(history.Where(p => !p.ThisRun), byLevel);
        var current = Score(thisRun, byLevel).Select(s => s with { Current = true }).ToList();
        var violations = new List<WestgardViolation>();
        bool On(string rule) => rules.Contains(rule, StringComparer.OrdinalIgnoreCase);

        foreach (var point in current)
        {
            if (On("1-3s") && Math.Abs(point.Z) > 3m)
            {
                violations.Add(Violation("1-3s", CheckOutcome.Fail, $"{Describe(point, unit)} is beyond 3 SD", [point]));
            }
            else if (On("1-2s") && Math.Abs(point.Z) > 2m)
            {
                violations.Add(Violation("1-2s", CheckOutcome.Review, $"{Describe(point, unit)} is beyond 2 SD (warning)", [point]));
            }
        }

        var levelSequences = byLevel.Keys.Order()
            .Select(level => past.Where(p => p.Point.Level == level).Concat(current.Where(p => p.Point.Level == level)).ToList())
            .ToList();
        var combined = past.OrderBy(p => p.Point.AcquiredUtc ?? DateTimeOffset.MinValue).Concat(current).ToList();

        if (On("2-2s"))
        {
            foreach (var sequence in levelSequences)
            {
                for (var i = 1; i < sequence.Count; i++)
                {
                    var (a, b) = (sequence[i - 1], sequence[i]);
                    if (b.Current && SameSideBeyond(a.Z, b.Z, 2m))
                    {
                        violations.Add(Violation("2-2s", CheckOutcome.Fail, $"two consecutive results of level {Level(b, unit)} beyond {Side(b.Z)}2 SD: {Describe(a, unit)}, {Describe(b, unit)}", [a, b]));
                    }
                }
            }

            foreach (var sign in new[] { 1m, -1m })
            {
                var beyond = current.Where(p => p.Z * sign > 2m).ToList();
                if (beyond.Select(p => p.Point.Level).Distinct().Count() >= 2)
                {
                    violations.Add(Violation("2-2s", CheckOutcome.Fail, $"QC levels {string.Join(" and ", beyond.Select(p => Level(p, unit)).Distinct())} in this run are all beyond {(sign > 0 ? "+" : "-")}2 SD: {string.Join(", ", beyond.Select(p => Describe(p, unit)))}", beyond));
                }
            }
        }

        if (On("R-4s"))
        {
            var high = current.Where(p => p.Z > 2m).MaxBy(p => p.Z);
            var low = current.Where(p => p.Z < -2m).MinBy(p => p.Z);
            if (high is not null && low is not null)
            {
                violations.Add(Violation("R-4s", CheckOutcome.Fail, $"within this run {Describe(high, unit)} and {Describe(low, unit)} span more than 4 SD", [high, low]));
            }
        }

        foreach (var (rule, length, limit) in new[] { ("4-1s", 4, 1m), ("10-x", 10, 0m) })
        {
            if (!On(rule))
            {
                continue;
            }

            var found = new List<List<Scored>>();
            foreach (var sequence in levelSequences.Append(combined))
            {
                foreach (var streak in Streaks(sequence, limit).Where(s => s.Count >= length && s.Any(p => p.Current)))
                {
                    // The same streak can appear in a level's sequence and in the combined one: report it once, longest form.
                    if (found.Any(f => streak.All(f.Contains)))
                    {
                        continue;
                    }

                    found.RemoveAll(f => f.All(streak.Contains));
                    found.Add(streak);
                }
            }

            foreach (var streak in found)
            {
                var what = limit == 0m ? "on the same side of the mean" : $"beyond {Side(streak[0].Z)}1 SD";
                violations.Add(Violation(rule, CheckOutcome.Fail, FormattableString.Invariant($"{streak.Count} consecutive results {what} (levels {string.Join(", ", streak.Select(s => Level(s, unit)).Distinct())}), the last {Describe(streak[^1], unit)}"), streak));
            }
        }

        return violations;
    }

    /// <summary>z-score of a value against a target, unrounded.</summary>
    public static decimal ZScore(decimal value, WestgardTarget target) => (value - target.Mean) / target.Sd;

    private static List<Scored> Score(IEnumerable<QcChartPoint> points, Dictionary<decimal, WestgardTarget> targets) =>
        points.Where(p => targets.ContainsKey(p.Level))
            .Select(p => new Scored(p, ZScore(p.Value, targets[p.Level]), false))
            .ToList();

    /// <summary>Maximal runs of consecutive results beyond +limit, or beyond −limit, in a sequence.</summary>
    private static IEnumerable<List<Scored>> Streaks(List<Scored> sequence, decimal limit)
    {
        var streak = new List<Scored>();
        var side = 0;
        foreach (var point in sequence)
        {
            var s = point.Z > limit ? 1 : point.Z < -limit ? -1 : 0;
            if (s != 0 && s == side)
            {
                streak.Add(point);
                continue;
            }

            if (streak.Count > 0)
            {
                yield return streak;
            }

            streak = s == 0 ? [] : [point];
            side = s;
        }

        if (streak.Count > 0)
        {
            yield return streak;
        }
    }

    private static bool SameSideBeyond(decimal a, decimal b, decimal limit) => (a > limit && b > limit) || (a < -limit && b < -limit);

    private static WestgardViolation Violation(string rule, CheckOutcome outcome, string message, IEnumerable<Scored> points) =>
        new(rule, outcome, message, points.Select(p => p.Point with { ZScore = Math.Round(p.Z, 2, MidpointRounding.AwayFromZero) }).ToList());

    private static string Side(decimal z) => z > 0 ? "+" : "-";

    private static string Level(Scored p, string? unit) => p.Point.Level.ToString("0.###", CultureInfo.InvariantCulture) + (unit is null ? string.Empty : " " + unit);

    private static string Describe(Scored p, string? unit)
    {
        var z = p.Z.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
        var where = p.Current ? p.Point.SampleName ?? "this run" : "run " + ShortKey(p.Point.RunKey) + (p.Point.AcquiredUtc is { } t ? " " + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty);
        return $"{where} {p.Point.Value.ToString("0.###", CultureInfo.InvariantCulture)}{(unit is null ? string.Empty : " " + unit)} ({z} SD)";
    }

    private static string ShortKey(string key) => key.Length > 12 ? key[..12] : key;

    private sealed record Scored(QcChartPoint Point, decimal Z, bool Current);
}
