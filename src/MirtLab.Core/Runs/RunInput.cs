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
