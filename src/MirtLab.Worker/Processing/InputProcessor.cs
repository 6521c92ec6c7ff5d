using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;
using MirtLab.Readers;
using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Processing;

/// <summary>What processing an input produced: the reader chosen (if any) and the evaluated run, or only diagnostics.</summary>
public sealed record ProcessedInput(string? FormatId, EvaluatedRun? Run, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Bad input: rejected as a whole, quarantined, nothing published.</summary>
    public bool IsRejected => Run is null || Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Reads, normalises and evaluates one dropped item, without side effects: the same code serves
/// <c>mirtlab check</c> (a dry run) and the ingest pipeline.
/// </summary>
public sealed class InputProcessor
{
    private readonly RuleSet _rules;
    private readonly FormatDetector _detector;

    public InputProcessor(RuleSet rules, IReadOnlyList<IInstrumentReader> readers)
    {
        _rules = rules;
        _detector = new FormatDetector(readers);
    }

    public RuleSet Rules => _rules;

    /// <param name="source">The dropped item.</param>
    /// <param name="sha256">Its content hash (hex), the root of every key.</param>
    /// <param name="instrument">The instrument it came from.</param>
    /// <param name="history">Where the delta check finds previous results and Westgard the QC history; null when there is none.</param>
    /// <param name="cultureOverride">Culture to use instead of the instrument's (<c>check --culture</c>).</param>
    /// <param name="formatOverride">Reader to use instead of detecting (<c>check --format</c>).</param>
    /// <param name="cancellationToken">Stops a long read.</param>
    public async Task<ProcessedInput> ProcessAsync(
        ReadSource source,
        string sha256,
        InstrumentSettings instrument,
        IRunHistory? history,
        CultureInfo? cultureOverride = null,
        string? formatOverride = null,
        CancellationToken cancellationToken = default)
    {
        var detection = _detector.Detect(source, formatOverride is null ? instrument.Formats : [formatOverride]);
        if (detection.Reader is null)
        {
            return new ProcessedInput(null, null, [detection.Problem!]);
        }

        var reader = detection.Reader;
        var output = new ReadOutput { FormatId = reader.FormatId };
        try
        {
            reader.Read(source, instrument.ReaderContext(cultureOverride, cancellationToken), output);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException or IOException or UnauthorizedAccessException))
        {
            // A reader that throws has met input it does not understand; the input is kept in quarantine
            // with this report instead of being retried for ever.
            output.OnDiagnostic(new Diagnostic(DiagnosticCodes.ReaderFailure, DiagnosticSeverity.Error,
                $"the {reader.FormatId} reader failed on this input ({ex.GetType().Name}: {ex.Message}); please report it with the file"));
        }

        var identity = new RunIdentity(sha256, source.Name, reader.FormatId, instrument.Id);
        var input = new RunInput(identity, output.RunInfo, output.Results, instrument.TimeZone, output.Diagnostics);
        var context = output.HasErrors
            ? RunContext.Empty
            : await RunContextBuilder.BuildAsync(history, history, RunEvaluator.DeltaLookups(input, _rules), RunEvaluator.QcHistoryLookups(input, _rules), RunStartUtc(output, instrument.TimeZone), cancellationToken);
        var run = RunEvaluator.Evaluate(input, _rules, context);
        return new ProcessedInput(reader.FormatId, run, run.Diagnostics);
    }

    /// <summary>The run's earliest acquisition, in UTC: previous results are those from before it.</summary>
    private static DateTimeOffset? RunStartUtc(ReadOutput output, TimeZoneInfo zone)
    {
        var first = output.Results.Select(r => r.AcquiredLocal).Where(t => t is not null).Min();
        if (first is not DateTime local || zone.IsInvalidTime(local))
        {
            return null;
        }

        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
