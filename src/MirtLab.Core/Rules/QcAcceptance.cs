using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// QC acceptance of one analyte in one run (ICH M10 §3.2.5): at least two thirds of all QCs and
/// half at each level within the tolerance of nominal.
/// </summary>
public static class QcAcceptance
{
    public static (IReadOnlyList<QcPoint> Points, IReadOnlyList<RunCheck> Checks) Evaluate(
        IReadOnlyList<EvaluatedResult> qcs, AcceptanceCriteria criteria)
    {
        var points = qcs
            .Where(q => q.Nominal is > 0m)
            .Select(q =>
            {
                var nominal = q.Nominal!.Value;
                var accuracy = CalibrationAcceptance.Accuracy(q.UnroundedNumber, nominal);
                var level = string.IsNullOrWhiteSpace(q.Raw.Level) ? nominal.ToString(CultureInfo.InvariantCulture) : q.Raw.Level.Trim();
                return new QcPoint(q.ResultKey, q.Raw.SampleName, level, nominal, q.UnroundedNumber, accuracy,
                    accuracy is decimal a && Math.Abs(a - 100m) <= criteria.QcTolerancePercent);
            })
            .ToList();

        if (points.Count == 0)
        {
            return ([], [new RunCheck("qc.present", CheckOutcome.Review, "the run has no QC samples for this analyte", "low, mid and high QCs in every run")]);
        }

        var checks = new List<RunCheck>();
        var passed = points.Count(p => p.Passed);
        var required = AcceptanceCriteria.Required(criteria.MinQcPassFraction, points.Count);
        checks.Add(new RunCheck(
            "qc.overall",
            passed >= required ? CheckOutcome.Pass : CheckOutcome.Fail,
            FormattableString.Invariant($"{passed} of {points.Count} QCs within ±{criteria.QcTolerancePercent}%, {required} needed"),
            FormattableString.Invariant($"±{criteria.QcTolerancePercent}%; ≥{criteria.MinQcPassFraction:P0} of all QCs")));

        foreach (var level in points.GroupBy(p => p.Level).OrderBy(g => g.Min(p => p.Nominal)))
        {
            var levelPassed = level.Count(p => p.Passed);
            var levelRequired = AcceptanceCriteria.Required(criteria.MinQcLevelPassFraction, level.Count());
            var ok = levelPassed >= levelRequired;
            var failing = level.Where(p => !p.Passed).Select(p => $"{p.SampleName} ({CalibrationAcceptance.Describe(p.AccuracyPercent)})");
            checks.Add(new RunCheck(
                "qc.level",
                ok ? CheckOutcome.Pass : CheckOutcome.Fail,
                ok
                    ? FormattableString.Invariant($"QC level {level.Key}: {levelPassed} of {level.Count()} within tolerance")
                    : FormattableString.Invariant($"QC level {level.Key}: only {levelPassed} of {level.Count()} within tolerance, {levelRequired} needed; failing: {string.Join(", ", failing)}"),
                FormattableString.Invariant($"≥{criteria.MinQcLevelPassFraction:P0} per level")));
        }

        return (points, checks);
    }
}
