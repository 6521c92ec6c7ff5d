using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Readers;

/// <summary>Where a reader pushes what it finds, as it finds it, so a large export streams.</summary>
public interface IReadSink
{
    /// <summary>Run-level facts (header blocks, regression); may be called once, before or between results.</summary>
    void OnRunInfo(RunInfo info);

    void OnResult(InstrumentResult result);

    void OnDiagnostic(Diagnostic diagnostic);

    /// <summary>Errors so far; a reader stops when this reaches <see cref="ReaderContext.MaxErrors"/>.</summary>
    int ErrorCount { get; }
}

/// <summary>Collects everything a reader pushed, for <c>mirtlab check</c> and tests.</summary>
public sealed class ReadOutput : IReadSink
{
    private readonly List<InstrumentResult> _results = [];
    private readonly List<Diagnostic> _diagnostics = [];

    public string? FormatId { get; set; }

    public RunInfo RunInfo { get; private set; } = new();

    public IReadOnlyList<InstrumentResult> Results => _results;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public int ErrorCount { get; private set; }

    public bool HasErrors => ErrorCount > 0;

    public void OnRunInfo(RunInfo info) => RunInfo = info;

    public void OnResult(InstrumentResult result) => _results.Add(result);

    public void OnDiagnostic(Diagnostic diagnostic)
    {
        _diagnostics.Add(diagnostic);
        if (diagnostic.IsError)
        {
            ErrorCount++;
        }
    }
}
