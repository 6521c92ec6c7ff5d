using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Delimited;

/// <summary>
/// Reads the cells of one delimited row into typed values, reporting every bad cell as a located error
/// (line, 1-based column, header name, what was found and what was expected). A column that is absent
/// (index -1) reads as null, never as 0.
/// </summary>
internal sealed class RowCells
{
    private readonly IReadSink _sink;
    private readonly ReaderContext _context;
    private readonly IReadOnlySet<string> _extraNoValueTokens;
    private IReadOnlyList<string> _fields = [];
    private int _errorsAtStart;

    public RowCells(IReadSink sink, ReaderContext context, IReadOnlySet<string>? extraNoValueTokens = null)
    {
        _sink = sink;
        _context = context;
        _extraNoValueTokens = extraNoValueTokens ?? new HashSet<string>(StringComparer.Ordinal);
    }

    public int Line { get; private set; }

    /// <summary>True when a cell of the current row was reported as an error.</summary>
    public bool RowHasErrors => _sink.ErrorCount > _errorsAtStart;

    public CultureInfo Culture => _context.Culture;

    public void Begin(IReadOnlyList<string> fields, int line)
    {
        _fields = fields;
        Line = line;
        _errorsAtStart = _sink.ErrorCount;
    }

    public string Text(int index) => index >= 0 && index < _fields.Count ? _fields[index] : string.Empty;

    public string? TextOrNull(int index)
    {
        var text = Text(index);
        return text.Length == 0 ? null : text;
    }

    public bool IsMissing(string text) => InstrumentNumber.IsMissingToken(text) || _extraNoValueTokens.Contains(text.Trim());

    public decimal? Decimal(int index, string header, string what)
    {
        var text = Text(index);
        if (index < 0 || IsMissing(text))
        {
            return null;
        }

        if (InstrumentNumber.TryParseDecimal(text, _context.Culture, out var number))
        {
            return number;
        }

        Error(DiagnosticCodes.UnparsableNumber, index, header, $"{what} '{text}' is not a number in culture {CultureName(_context.Culture)}");
        return null;
    }

    public double? Double(int index, string header, string what)
    {
        var text = Text(index);
        if (index < 0 || IsMissing(text))
        {
            return null;
        }

        if (InstrumentNumber.TryParseDouble(text, _context.Culture, out var number))
        {
            return number;
        }

        Error(DiagnosticCodes.UnparsableNumber, index, header, $"{what} '{text}' is not a number in culture {CultureName(_context.Culture)}");
        return null;
    }

    /// <summary>A result value: a number, a "no value" token (built-in or configured), or an error; never 0 for nothing.</summary>
    public ResultValue Value(int index, string header, string what, out string raw)
    {
        raw = Text(index);
        var trimmed = raw.Trim();
        if (_extraNoValueTokens.Contains(trimmed))
        {
            return ResultValue.NoValue(trimmed);
        }

        if (InstrumentNumber.ParseValue(raw, _context.Culture, out var value) == CellParse.Invalid)
        {
            Error(DiagnosticCodes.UnparsableNumber, index, header, $"{what} '{raw}' is not a number in culture {CultureName(_context.Culture)} nor a known no-value token");
        }

        return value;
    }

    public DateTime? Date(int index, string header)
    {
        var text = Text(index);
        if (index < 0)
        {
            return null;
        }

        if (InstrumentDate.TryParse(text, _context, out var value))
        {
            return value;
        }

        Error(DiagnosticCodes.UnparsableDate, index, header, $"acquisition date '{text}' is not a date in culture {CultureName(_context.Culture)} or the configured formats");
        return null;
    }

    /// <summary>Maps the vendor's sample-type word (configured words first, then the built-in vocabulary); an unknown word is an error.</summary>
    public SampleType SampleType(int index, string header, IReadOnlyDictionary<string, SampleType>? configured, out string? vendorWord)
    {
        vendorWord = TextOrNull(index);
        if (index < 0)
        {
            return Core.Results.SampleType.Unknown;
        }

        if (vendorWord is not null && configured is not null && configured.TryGetValue(vendorWord, out var mapped))
        {
            return mapped;
        }

        if (VendorSampleTypes.TryMap(vendorWord, out var type))
        {
            return type;
        }

        var known = configured is null ? VendorSampleTypes.Known : configured.Keys.Concat(VendorSampleTypes.Known).Distinct(StringComparer.OrdinalIgnoreCase);
        Error(DiagnosticCodes.UnknownSampleType, index, header, $"sample type '{vendorWord}' is not one MirtLab knows ({string.Join(", ", known.Take(10))}, …)");
        return Core.Results.SampleType.Unknown;
    }

    public void Error(string code, int index, string header, string message) =>
        _sink.OnDiagnostic(new Diagnostic(code, DiagnosticSeverity.Error, $"{message} (column '{header}')", Line: Line, Column: index + 1));

    public static string CultureName(CultureInfo culture) => culture.Name.Length == 0 ? "invariant" : culture.Name;
}
