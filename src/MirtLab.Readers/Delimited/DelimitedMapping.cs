using System.Globalization;
using MirtLab.Core.Results;

namespace MirtLab.Readers.Delimited;

/// <summary>How a mapped export's bytes become text.</summary>
public enum DelimitedEncoding
{
    /// <summary>A BOM if there is one, else strict UTF-8, else Windows-1252 (as for the vendor readers).</summary>
    Auto,

    /// <summary>UTF-8, with or without BOM; bytes that are not UTF-8 are an error.</summary>
    Utf8,

    /// <summary>UTF-16: little-endian unless a big-endian BOM says otherwise.</summary>
    Utf16,

    /// <summary>Windows-1252 ("ANSI" on western Windows PCs).</summary>
    Windows1252,
}

/// <summary>
/// A configured layout for a delimited export MirtLab has no built-in reader for (an OpenLab CDS 2.x custom
/// report, a LIMS export): how to recognise it, how to decode and split it, and which column holds what.
/// Adding a format is configuration only: a mapping file read by <see cref="DelimitedMappingLoader"/>.
/// </summary>
public sealed class DelimitedMapping
{
    /// <summary>Prefix of every mapped reader's format id.</summary>
    public const string FormatIdPrefix = "delimited:";

    /// <summary>Short name, lower case, digits and dashes (<c>openlab-cds2-custom</c>); the format id is <c>delimited:&lt;name&gt;</c>.</summary>
    public required string Name { get; init; }

    public string FormatId => FormatIdPrefix + Name;

    /// <summary>What the export is, in the lab's words.</summary>
    public string? Description { get; init; }

    /// <summary>Where the mapping was loaded from (a file name), for messages.</summary>
    public string SourceName { get; init; } = "mapping";

    /// <summary>Header columns an export must have to be recognised as this format (besides the mapped columns).</summary>
    public IReadOnlyList<string> RequiredColumns { get; init; } = [];

    /// <summary>Text the export's first line starts with (a report title), if it has a fixed one.</summary>
    public string? FirstLinePrefix { get; init; }

    public char Delimiter { get; init; } = ',';

    public DelimitedEncoding Encoding { get; init; } = DelimitedEncoding.Auto;

    /// <summary>The culture of numbers and dates in the export; null = the instrument's (<see cref="ReaderContext.Culture"/>).</summary>
    public CultureInfo? Culture { get; init; }

    /// <summary>The 1-based line that holds the column names; lines before it are kept as run properties.</summary>
    public int HeaderRow { get; init; } = 1;

    public required string SampleNameColumn { get; init; }

    public string? SampleIdColumn { get; init; }

    /// <summary>The sample-type column; without one every row is a patient sample (Unknown).</summary>
    public string? SampleTypeColumn { get; init; }

    /// <summary>The export's sample-type words and what they mean; words not listed fall back to the vendor vocabulary, and an unknown word is an error.</summary>
    public IReadOnlyDictionary<string, SampleType> SampleTypes { get; init; } = new Dictionary<string, SampleType>(StringComparer.OrdinalIgnoreCase);

    public required string AnalyteColumn { get; init; }

    /// <summary>The column with the reported concentration (never an area).</summary>
    public required string ValueColumn { get; init; }

    /// <summary>A column holding each row's unit; exclusive with <see cref="FixedUnit"/>.</summary>
    public string? UnitColumn { get; init; }

    /// <summary>The unit of every value when the export states none; exclusive with <see cref="UnitColumn"/>.</summary>
    public string? FixedUnit { get; init; }

    /// <summary>The nominal (expected) concentration of calibrators and QCs.</summary>
    public string? NominalColumn { get; init; }

    public string? DateColumn { get; init; }

    /// <summary>.NET custom date formats tried first for <see cref="DateColumn"/>.</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];

    /// <summary>"No value" words of this export, besides the built-in ones (<c>N/A</c>, <c>ND</c>, empty, …).</summary>
    public IReadOnlySet<string> MissingValues { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Every column the mapping names, with its role, in a stable order.</summary>
    public IEnumerable<(string Role, string Column)> MappedColumns()
    {
        yield return ("sampleName", SampleNameColumn);
        if (SampleIdColumn is not null) yield return ("sampleId", SampleIdColumn);
        if (SampleTypeColumn is not null) yield return ("sampleType", SampleTypeColumn);
        yield return ("analyte", AnalyteColumn);
        yield return ("value", ValueColumn);
        if (UnitColumn is not null) yield return ("unit", UnitColumn);
        if (NominalColumn is not null) yield return ("nominal", NominalColumn);
        if (DateColumn is not null) yield return ("date", DateColumn);
    }
}
