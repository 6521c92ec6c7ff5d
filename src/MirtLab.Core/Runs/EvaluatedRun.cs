using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;

namespace MirtLab.Core.Runs;

/// <summary>A run after evaluation: its results, the verdict per analyte, and every diagnostic.</summary>
public sealed class EvaluatedRun
{
    public required RunIdentity Identity { get; init; }

    public required RunInfo Info { get; init; }

    /// <summary>The rule-set version the evaluation used.</summary>
    public required string ConfigVersion { get; init; }

    public required IReadOnlyList<EvaluatedResult> Results { get; init; }

    public required IReadOnlyList<AnalyteRunEvaluation> Analytes { get; init; }

    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>Bad input: any error rejects the whole run; nothing of it is published.</summary>
    public bool IsRejected => Diagnostics.Any(d => d.IsError);

    /// <summary>The earliest acquisition time in the run, local as the instrument wrote it.</summary>
    public DateTime? AcquiredLocal => Results.Select(r => r.Raw.AcquiredLocal).Where(t => t is not null).Min();

    public DateTimeOffset? AcquiredUtc => Results.Select(r => r.AcquiredUtc).Where(t => t is not null).Min();

    public IEnumerable<EvaluatedResult> PatientResults => Results.Where(r => r.IsPatientResult);
}
