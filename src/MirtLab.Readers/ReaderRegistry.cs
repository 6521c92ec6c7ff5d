using MirtLab.Readers.Agilent;
using MirtLab.Readers.Delimited;
using MirtLab.Readers.Sciex;

namespace MirtLab.Readers;

/// <summary>The readers MirtLab ships with.</summary>
public static class ReaderRegistry
{
    public static IReadOnlyList<IInstrumentReader> BuiltIn() =>
    [
        new SciexAnalystResultsReader(),
        new MassHunterQuantReader(),
        new MassHunterCompoundTableReader(),
        new MassHunterBlockReportReader(),
        new SciexMultiQuantResultsReader(),
        new SciexOsResultsReader(),
        new ChemStationFolderReader(),
        new AcamlExportReader(),
    ];

    /// <summary>
    /// The built-in readers plus one <see cref="DelimitedMappingReader"/> per configured mapping
    /// (<c>delimited:&lt;name&gt;</c>). Two mappings with one name are a configuration error.
    /// </summary>
    public static IReadOnlyList<IInstrumentReader> Create(IEnumerable<DelimitedMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        var readers = new List<IInstrumentReader>(BuiltIn());
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var mapping in mappings)
        {
            if (!names.TryAdd(mapping.Name, mapping.SourceName))
            {
                throw new ArgumentException($"two delimited mappings are named '{mapping.Name}' ({names[mapping.Name]} and {mapping.SourceName}); format ids must be unique", nameof(mappings));
            }

            readers.Add(new DelimitedMappingReader(mapping));
        }

        return readers;
    }
}
