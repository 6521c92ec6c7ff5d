namespace MirtLab.Readers.Sciex;

/// <summary>
/// SCIEX MultiQuant results export (FORMATS.md): tab-delimited, one row per sample × component, columns chosen by
/// the user. Component names may be transitions (<c>524.5 / 507.3a</c>) and stay as written. An export without
/// <c>Calculated Concentration</c> is recognised and checked but rejected: it holds peak data only.
/// </summary>
public sealed class SciexMultiQuantResultsReader : IInstrumentReader
{
    public const string Id = "sciex-multiquant-results";

    public string FormatId => Id;

    public string Description => "SCIEX MultiQuant results table (text export)";

    /// <summary>
    /// A component table (Sample Name and Component Name) without any column only SCIEX OS writes. Lower than
    /// SCIEX OS's score on purpose, and 0 when SCIEX OS columns are present, so the two never tie.
    /// </summary>
    public int Probe(SourceProbe probe)
    {
        var header = ComponentTableColumns.ProbeHeader(probe);
        if (header is null || !ComponentTableColumns.IsComponentTable(header) || ComponentTableColumns.HasSciexOsColumns(header))
        {
            return 0;
        }

        return 85;
    }

    public void Read(ReadSource source, ReaderContext context, IReadSink sink) =>
        ComponentTableReader.Read(source, context, sink, "MultiQuant");
}
