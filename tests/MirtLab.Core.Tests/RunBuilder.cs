using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

/// <summary>Builds instrument rows and evaluates them, for rule tests that read like the lab's runs.</summary>
internal static class RunBuilder
{
    public const string Sha = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static int _line = 100;

    /// <summary>An accepted curve and QCs for mirtazapine and N-desmethylmirtazapine, 1–200 ng/mL.</summary>
    public static IEnumerable<InstrumentResult> AcceptedCurves()
    {
        foreach (var analyte in new[] { "Mirtazapine", "N-desmethylmirtazapine" })
        {
            foreach (var level in new[] { "1.0", "2.5", "5.0", "10.0", "25.0", "50.0", "100", "200" })
            {
                yield return Row("CAL " + level, SampleType.Standard, analyte, level, nominal: level);
            }

            foreach (var (level, measured) in new[] { ("3.0", "2.9"), ("3.0", "3.1"), ("40", "41"), ("40", "39"), ("160", "158"), ("160", "163") })
            {
                yield return Row("QC " + level, SampleType.QualityControl, analyte, measured, nominal: level);
            }
        }
    }

    public static InstrumentResult Patient(string name, string analyte, string? value, string? comment = null, DateTime? acquired = null) =>
        Row(name, SampleType.Unknown, analyte, value, comment: comment, acquired: acquired ?? new DateTime(2026, 11, 21, 9, 0, 0));

    public static InstrumentResult Row(string name, SampleType type, string analyte, string? value, string? nominal = null, string? comment = null, DateTime? acquired = null) => new()
    {
        Source = new SourcePosition(null, Interlocked.Increment(ref _line)),
        SampleName = name,
        SampleType = type,
        RawAnalyte = analyte,
        RawValueText = value ?? "No Peak",
        Value = value is null ? ResultValue.NotDetected("No Peak") : ResultValue.FromNumber(Dec(value)),
        RawUnit = "ng/mL",
        Nominal = nominal is null ? null : Dec(nominal),
        Comment = comment,
        AcquiredLocal = acquired,
    };

    public static EvaluatedRun Evaluate(IEnumerable<InstrumentResult> rows, RuleSet? rules = null, RunContext? context = null) =>
        RunEvaluator.Evaluate(
            new RunInput(new RunIdentity(Sha, "plate.txt", "sciex-analyst-results", "tq5500"), new RunInfo(), rows.ToList(), Berlin, []),
            rules ?? TestRules.Default,
            context);

    public static EvaluatedResult Result(this EvaluatedRun run, string sample, string analyte) =>
        run.Results.Single(r => r.Raw.SampleName == sample && r.Analyte?.Code == analyte);

    public static EvaluatedResult? Find(this EvaluatedRun run, string sample, string analyte) =>
        run.Results.SingleOrDefault(r => r.Raw.SampleName == sample && r.Analyte?.Code == analyte);

    public static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
