using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// Delta check (CLSI AUTO10): a patient value is compared with the same patient's previous result of the same
/// analyte; a change beyond every configured limit is flagged <c>U</c> (up) or <c>D</c> (down) and held.
/// Without a previous result there is nothing to compare; when the lookup failed, the result is held and says so.
/// </summary>
internal static class DeltaCheckRule
{
    public static void Apply(PatientJudgement draft, RunContext context, string configVersion)
    {
        var analyte = draft.Result.Analyte!;
        if (analyte.Delta is not { } limits || draft.Metadata.PatientId is not { } patient || draft.Value.Number is not decimal value)
        {
            return;
        }

        if (context.PreviousResultsUnavailable is { } why)
        {
            draft.Hold($"delta:{analyte.Code}: the delta check could not be done ({why})");
            return;
        }

        if (!context.PreviousResults.TryGetValue((patient, analyte.Code), out var previous))
        {
            return;
        }

        var now = draft.Result.AcquiredUtc;
        if (now is not null && previous.AcquiredUtc is not null && (now.Value - previous.AcquiredUtc.Value).TotalDays > limits.MaxAgeDays)
        {
            return;
        }

        var change = value - previous.Value;
        decimal? relative = previous.Value != 0m ? Math.Abs(change) / previous.Value * 100m : null;
        var exceeded = (limits.Absolute is null || Math.Abs(change) > limits.Absolute)
            && (limits.RelativePercent is null || (relative is decimal r && r > limits.RelativePercent));
        if (!exceeded || change == 0m)
        {
            return;
        }

        var unit = analyte.Unit.Code;
        var when = previous.AcquiredUtc?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "an earlier run";
        var parts = new List<string>();
        if (limits.Absolute is decimal a)
        {
            parts.Add(FormattableString.Invariant($"|change| > {a} {unit}"));
        }

        if (limits.RelativePercent is decimal p)
        {
            parts.Add(FormattableString.Invariant($"> {p}%"));
        }

        draft.Flag(new ResultFlag(
            change > 0m ? Hl7Flags.SignificantChangeUp : Hl7Flags.SignificantChangeDown,
            "delta:" + analyte.Code,
            FormattableString.Invariant($"changed by {change:+0.###;-0.###} {unit}{(relative is decimal rel ? $" ({rel:0}%)" : string.Empty)} since the previous result {previous.Value} {unit} ({when}, result {previous.ResultKey})"),
            string.Join(" and ", parts) + FormattableString.Invariant($" within {limits.MaxAgeDays} days"),
            configVersion));
    }
}
