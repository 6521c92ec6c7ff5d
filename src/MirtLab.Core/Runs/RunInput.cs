using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;

namespace MirtLab.Core.Runs;

/// <summary>Who and what a run is: the dropped item's hash and name, the reader that read it, the instrument it came from.</summary>
public sealed record RunIdentity(string FileSha256, string SourceName, string FormatId, string InstrumentId)
{
    public string RunKey => ResultKeys.RunKey(FileSha256);
}

/// <summary>What the evaluator needs: the rows a reader produced and the instrument's time zone.</summary>
public sealed record RunInput(
    RunIdentity Identity,
    RunInfo Info,
    IReadOnlyList<InstrumentResult> Rows,
    TimeZoneInfo TimeZone,
    IReadOnlyList<Diagnostic> ReaderDiagnostics);

/// <summary>A patient's previous result of an analyte, for the delta check.</summary>
public sealed record PreviousResult(decimal Value, DateTimeOffset? AcquiredUtc, string ResultKey);

/// <summary>
/// What the evaluator is told from outside the export: previous results from the LIS for the delta check
/// (looked up by the host before evaluation, keeping the evaluation pure).
/// </summary>
public sealed class RunContext
{
    public static RunContext Empty { get; } = new();

    /// <summary>Previous results by (patient id, analyte code).</summary>
    public IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult> PreviousResults { get; init; } =
        new Dictionary<(string, string), PreviousResult>();

    /// <summary>Why previous results could not be looked up (the LIS was unreachable); null when they were.</summary>
    public string? PreviousResultsUnavailable { get; init; }
}
