namespace MirtLab.Readers;

/// <summary>
/// Reads one export format. Pure: streams in, results and diagnostics out, no file system, no clock.
/// Chosen by content (<see cref="Probe"/>), never by file extension.
/// </summary>
public interface IInstrumentReader
{
    /// <summary>Stable id recorded with every run (<c>sciex-analyst-results</c>).</summary>
    string FormatId { get; }

    /// <summary>What the format is, in the lab's words.</summary>
    string Description { get; }

    /// <summary>How sure this reader is that it reads the source: 0 = not mine, 100 = an exact signature.</summary>
    int Probe(SourceProbe probe);

    /// <summary>Reads the whole source, pushing results and diagnostics to the sink. Bad input is a diagnostic, not an exception.</summary>
    void Read(ReadSource source, ReaderContext context, IReadSink sink);
}
