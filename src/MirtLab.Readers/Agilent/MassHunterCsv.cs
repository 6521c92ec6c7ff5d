using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Delimited;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Agilent;

/// <summary>One column group of a MassHunter two-row header: the label in row 1 and the sub-headers under it in row 2.</summary>
internal sealed class MassHunterGroup
{
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    public MassHunterGroup(string label, int start)
    {
        Label = label;
        Start = start;
    }

    public string Label { get; }

    /// <summary>0-based index of the group's first column (where its label stands).</summary>
    public int Start { get; }

    /// <summary>0-based index after the group's last column.</summary>
    public int End { get; set; }

    public IEnumerable<string> SubHeaderKeys => _columns.Keys;

    /// <summary>Adds a sub-header; false when the group already has one of that name.</summary>
    public bool TryAdd(string subHeader, int index) => _columns.TryAdd(MassHunterCsv.Key(subHeader), index);

    /// <summary>The 0-based index of the first of <paramref name="subHeaders"/> the group has, or -1.</summary>
    public int Find(params string[] subHeaders)
    {
        foreach (var name in subHeaders)
        {
            if (_columns.TryGetValue(MassHunterCsv.Key(name), out var index))
            {
                return index;
            }
        }

        return -1;
    }

    public IEnumerable<(string Key, int Index)> Columns => _columns.Select(c => (c.Key, c.Value));
}

/// <summary>The columns of one compound's result: where its value, nominal, peak data and vendor flags are.</summary>
internal sealed record MassHunterCompoundColumns
{
    public required string Name { get; init; }

    public required bool IsInternalStandard { get; init; }

    public int FinalConcentration { get; init; } = -1;

    public int CalculatedConcentration { get; init; } = -1;

    public int ExpectedConcentration { get; init; } = -1;

    public int RetentionTime { get; init; } = -1;

    public int Area { get; init; } = -1;

    public int Height { get; init; } = -1;

    public int SignalToNoise { get; init; } = -1;

    public int Accuracy { get; init; } = -1;

    public int InternalStandardResponse { get; init; } = -1;

    public int InternalStandardName { get; init; } = -1;

    public int ManualIntegration { get; init; } = -1;

    /// <summary>Per-compound outlier columns (<c>Outlier …</c>), kept verbatim as vendor flags.</summary>
    public IReadOnlyList<(int Index, string Header)> Outliers { get; init; } = [];

    /// <summary>
    /// The column the reported value comes from: <c>Final Conc.</c> (includes dilution), else <c>Calc. Conc.</c>, which
    /// holds for undiluted samples only (<see cref="MassHunterRowBuilder.RefuseUndilutedValue"/>).
    /// </summary>
    public int ValueColumn => FinalConcentration >= 0 ? FinalConcentration : CalculatedConcentration;

    public string ValueHeader => FinalConcentration >= 0 ? "Final Conc." : "Calc. Conc.";

    /// <summary>Finds a compound's columns in its Results group and, for the nominal, its Method group too.</summary>
    public static MassHunterCompoundColumns From(string name, bool isInternalStandard, MassHunterGroup results, MassHunterGroup? method, IReadOnlyList<string> subHeaders) => new()
    {
        Name = name,
        IsInternalStandard = isInternalStandard,
        FinalConcentration = results.Find("Final Conc."),
        CalculatedConcentration = results.Find("Calc. Conc."),
        ExpectedConcentration = results.Find("Exp. Conc.") is var e and >= 0 ? e : method?.Find("Exp. Conc.") ?? -1,
        RetentionTime = results.Find("RT"),
        Area = results.Find("Area"),
        Height = results.Find("Height"),
        SignalToNoise = results.Find("S/N"),
        Accuracy = results.Find("Accuracy"),
        InternalStandardResponse = results.Find("ISTD Resp."),
        InternalStandardName = results.Find("ISTD") is var i and >= 0 ? i : method?.Find("ISTD", "ISTD Name") ?? -1,
        ManualIntegration = results.Find("MI"),
        Outliers = results.Columns
            .Where(c => c.Key.Contains("OUTLIER", StringComparison.Ordinal))
            .Select(c => (c.Index, subHeaders[c.Index]))
            .OrderBy(c => c.Index)
            .ToList(),
    };
}

/// <summary>What MassHunter CSV layouts share: header keys, internal-standard marks, flags and the text opening.</summary>
internal static partial class MassHunterCsv
{
    public const char Delimiter = ',';

    /// <summary>
    /// A sub-header as a comparison key: upper case, dots dropped, spaces collapsed. MassHunter versions write
    /// <c>Final Conc.</c>, <c>Final Conc</c> and <c> Final Conc</c> (block report, with a leading space).
    /// </summary>
    public static string Key(string header)
    {
        var builder = new StringBuilder(header.Length);
        var pendingSpace = false;
        foreach (var c in header.AsSpan().Trim())
        {
            if (c == '.')
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>True when a compound label marks an internal standard: <c>(ISTD)</c> or <c>(IS)</c>.</summary>
    public static bool IsInternalStandard(string compound) => InternalStandardMark().IsMatch(compound);

    /// <summary>The vendor flag for manual integration, or null when the cell says the peak was not integrated by hand.</summary>
    public static string? ManualIntegrationFlag(string text) => text.Trim().ToUpperInvariant() switch
    {
        "" or "FALSE" or "0" or "NO" => null,
        "TRUE" or "1" or "YES" => "MassHunter: manual integration (MI)",
        _ => $"MassHunter MI: {text.Trim()}",
    };

    /// <summary>Opens the single file of a source as text; reports empty or binary input and returns null.</summary>
    public static (LineReader? Lines, TextEncodingInfo Encoding) Open(ReadSource source, ReaderContext context, IReadSink sink, string what)
    {
        var (text, encoding) = TextDecoder.OpenText(source.Files[0]);
        if (text is null)
        {
            sink.OnDiagnostic(new Diagnostic(
                encoding.Kind == TextKind.Empty ? DiagnosticCodes.EmptyInput : DiagnosticCodes.BinaryInput,
                DiagnosticSeverity.Error,
                encoding.Kind == TextKind.Empty ? "the file is empty" : $"the file is binary, not a {what}"));
            return (null, encoding);
        }

        return (new LineReader(text, context.MaxLineLength), encoding);
    }

    /// <summary>Reports a record that could not be read whole; true when there was such a problem.</summary>
    public static bool ReportRecordProblem(RecordStatus status, DelimitedRecordReader records, ReaderContext context, IReadSink sink)
    {
        switch (status)
        {
            case RecordStatus.TooLong:
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.LineTooLong, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"the record is longer than {context.MaxLineLength} characters; this is not a text export MirtLab can read"),
                    Line: records.Line));
                return true;
            case RecordStatus.UnterminatedQuote:
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnterminatedQuote, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"a quoted field opens on this line and is still open at the end of the file (line {records.LastLine}): the file is cut or its quotes are broken"),
                    Line: records.Line));
                return true;
            default:
                return false;
        }
    }

    public static bool AllEmpty(IReadOnlyList<string> fields, int from = 0)
    {
        for (var i = from; i < fields.Count; i++)
        {
            if (fields[i].Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    public static string Excerpt(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return clean.Length <= 60 ? clean : clean[..60] + "…";
    }

    /// <summary>The first field of the first line of a probed file, trimmed, or null when the file is not a single text file.</summary>
    public static string? FirstCell(SourceProbe probe, out IReadOnlyList<string> lines)
    {
        lines = [];
        if (probe.Source.IsFolder || probe.Files.Count != 1 || probe.Files[0].LooksBinary)
        {
            return null;
        }

        lines = probe.Files[0].Lines;
        var first = lines.Count > 0 ? lines[0] : string.Empty;
        var comma = first.IndexOf(Delimiter, StringComparison.Ordinal);
        return (comma < 0 ? first : first[..comma]).Trim().Trim('"').Trim();
    }

    [GeneratedRegex(@"\((ISTD|IS)\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex InternalStandardMark();
}
