namespace MirtLab.Readers.Agilent;

/// <summary>
/// An ACAML export of one injection dropped on its own, outside its <c>.D</c> folder (ChemStation "Export ACAML",
/// UTF-8 with BOM, namespace <c>urn:schemas-agilent-com:acaml13</c>/<c>14</c>/<c>15</c>). Format id
/// <c>agilent-acaml</c>. Read exactly as the same file inside a <c>.D</c> folder (<see cref="ChemStationFolderReader"/>,
/// <see cref="AcamlDocument"/>, <see cref="ChemStationRows"/>), without a cross-check: there is nothing beside it.
/// </summary>
public sealed class AcamlExportReader : IInstrumentReader
{
    public const string Id = "agilent-acaml";

    public string FormatId => Id;

    public string Description => "Agilent ChemStation ACAML export of one injection (sample.acaml)";

    public int Probe(SourceProbe probe) =>
        !probe.Source.IsFolder && probe.Files.Count == 1 && AcamlDocument.Looks(probe.Files[0]) ? 100 : 0;

    public void Read(ReadSource source, ReaderContext context, IReadSink sink)
    {
        var document = ChemStationXml.Load(source.Files[0], null, "ACAML export", context, sink);
        if (document is null)
        {
            return;
        }

        var injection = AcamlDocument.Read(document, null, context, sink);
        if (injection is not null)
        {
            ChemStationFolderReader.ReadInjection(injection, [], context, sink);
        }
    }
}
