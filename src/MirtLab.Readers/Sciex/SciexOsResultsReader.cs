namespace MirtLab.Readers.Sciex;

/// <summary>
/// SCIEX OS results export (FORMATS.md): tab-delimited, about 130 columns starting <c>Index</c>, one row per
/// sample × component, with quantifier, qualifier and internal-standard rows (<c>Component Type</c>), acceptance
/// columns and <c>Reportable</c>. Quoted fields may hold commas (<c>"Accuracy, Integration Quality"</c>).
/// </summary>
public sealed class SciexOsResultsReader : IInstrumentReader
{
    public const string Id = "sciex-os-results";

    public string FormatId => Id;

    public string Description => "SCIEX OS results table (text export)";

    /// <summary>A component table (Sample Name and Component Name) with a column only SCIEX OS writes (Reportable, Outlier Reasons, an acceptance column, Conc. Units).</summary>
    public int Probe(SourceProbe probe)
    {
        var header = ComponentTableColumns.ProbeHeader(probe);
        if (header is null || !ComponentTableColumns.IsComponentTable(header) || !ComponentTableColumns.HasSciexOsColumns(header))
        {
            return 0;
        }

        return 95;
    }

    public void Read(ReadSource source, ReaderContext context, IReadSink sink) =>
        ComponentTableReader.Read(source, context, sink, "SCIEX OS");
}
