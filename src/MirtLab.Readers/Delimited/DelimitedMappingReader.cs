using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Delimited;

/// <summary>
/// Reads a delimited export by a configured <see cref="DelimitedMapping"/>: one row per sample × analyte,
/// columns found by name. Recognised by its header (the mapped and required columns, and the first-line
/// prefix if configured); it scores below the built-in readers' exact signatures, so a mapping never
/// takes a vendor export from its own reader.
/// </summary>
public sealed class DelimitedMappingReader : IInstrumentReader
{
    /// <summary>Probe score with a matching first-line prefix and header.</summary>
    public const int PrefixAndHeaderScore = 80;

    /// <summary>Probe score with a matching header alone.</summary>
    public const int HeaderScore = 70;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly DelimitedMapping _mapping;

    public DelimitedMappingReader(DelimitedMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        _mapping = mapping;
    }

    public DelimitedMapping Mapping => _mapping;

    public string FormatId => _mapping.FormatId;

    public string Description => _mapping.Description ?? $"Configured delimited export '{_mapping.Name}' ({_mapping.SourceName})";

    public int Probe(SourceProbe probe)
    {
        if (probe.Source.IsFolder || probe.Files.Count != 1 || probe.Files[0].LooksBinary)
        {
            return 0;
        }

        var head = ProbeHead(probe.Files[0]);
        if (head is null)
        {
            return 0;
        }

        var lines = head.Split(["\r\n", "\n", "\r"], StringSplitOptions.None);
        if (_mapping.FirstLinePrefix is { } prefix && !lines[0].StartsWith(prefix, StringComparison.Ordinal))
        {
            return 0;
        }

        if (lines.Length <= _mapping.HeaderRow - 1)
        {
            return 0;
        }

        var fields = new List<string>();
        Fields.Split(lines[_mapping.HeaderRow - 1], _mapping.Delimiter, fields);
        var header = new HeaderColumns(fields);
        // The optional mapped columns are not part of the signature: an export that lacks one is still
        // this format, and the reader says which column is missing instead of "unknown format".
        var signature = _mapping.RequiredColumns.Concat([_mapping.SampleNameColumn, _mapping.AnalyteColumn, _mapping.ValueColumn]);
        if (!signature.All(name => header.Find(name).Exists))
        {
            return 0;
        }

        return _mapping.FirstLinePrefix is null ? HeaderScore : PrefixAndHeaderScore;
    }

    public void Read(ReadSource source, ReaderContext context, IReadSink sink)
    {
        var file = source.Files[0];
        var (text, problem) = Open(file);
        if (text is null)
        {
            sink.OnDiagnostic(problem!);
            return;
        }

        var readContext = new ReaderContext
        {
            InstrumentId = context.InstrumentId,
            Culture = _mapping.Culture ?? context.Culture,
            DateFormats = [.. _mapping.DateFormats, .. context.DateFormats],
            DefaultUnit = context.DefaultUnit,
            MaxLineLength = context.MaxLineLength,
            MaxErrors = context.MaxErrors,
            CancellationToken = context.CancellationToken,
        };

        using var lines = new LineReader(text, context.MaxLineLength);
        var records = new DelimitedRecordReader(lines, _mapping.Delimiter, context.MaxLineLength);
        try
        {
            var header = ReadHeader(records, readContext, sink);
            if (header is not null)
            {
                ReadRows(records, header, readContext, sink);
            }
        }
        catch (DecoderFallbackException ex)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                $"the text is not valid {EncodingName(_mapping.Encoding)} as mapping '{_mapping.Name}' says: {ex.Message}", Line: lines.LineNumber + 1));
        }
    }

    private sealed record Columns(
        List<string> Headers,
        int HeaderLine,
        Column SampleName,
        Column SampleId,
        Column SampleType,
        Column Analyte,
        Column Value,
        Column Unit,
        Column Nominal,
        Column Date);

    private Columns? ReadHeader(DelimitedRecordReader records, ReaderContext context, IReadSink sink)
    {
        var fields = new List<string>();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["mapping"] = $"{_mapping.Name} ({_mapping.SourceName})" };
        while (records.TryRead(fields, out var status))
        {
            if (status == RecordStatus.TooLong)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.LineTooLong, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"the line is longer than {context.MaxLineLength} characters; this is not a '{_mapping.Name}' export"), Line: records.Line));
                return null;
            }

            if (records.Line < _mapping.HeaderRow)
            {
                var text = string.Join(" ", fields.Where(f => f.Length > 0));
                if (text.Length > 0)
                {
                    properties[string.Create(CultureInfo.InvariantCulture, $"line {records.Line}")] = text;
                }

                continue;
            }

            if (status == RecordStatus.UnterminatedQuote)
            {
                break;
            }

            sink.OnRunInfo(new RunInfo { Properties = properties });
            var header = new HeaderColumns(fields);
            var columns = new Columns(
                new List<string>(fields),
                records.Line,
                header.Find(_mapping.SampleNameColumn),
                Optional(_mapping.SampleIdColumn),
                Optional(_mapping.SampleTypeColumn),
                header.Find(_mapping.AnalyteColumn),
                header.Find(_mapping.ValueColumn),
                Optional(_mapping.UnitColumn),
                Optional(_mapping.NominalColumn),
                Optional(_mapping.DateColumn));
            var missing = _mapping.MappedColumns().Concat(_mapping.RequiredColumns.Select(c => ("required", c)))
                .Where(c => !header.Find(c.Item2).Exists)
                .Select(c => $"'{c.Item2}' ({c.Item1})")
                .ToList();
            if (missing.Count > 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                    $"the header (line {records.Line.ToString(CultureInfo.InvariantCulture)}, as mapping '{_mapping.Name}' says) has no {string.Join(", ", missing)} column; it names: {string.Join(", ", fields.Where(f => f.Length > 0).Take(12))}",
                    Line: records.Line));
                return null;
            }

            if (_mapping.FixedUnit is { } fixedUnit && columns.Value.Unit is { } headerUnit && !UnitText.SameUnit(fixedUnit, headerUnit))
            {
                // The header and the mapping each state the unit of every value; which one is right cannot be told.
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.ConflictingUnit, DiagnosticSeverity.Error,
                    $"mapping '{_mapping.Name}' fixes the unit to '{fixedUnit}' but the value column's header '{columns.Value.Header}' says '{headerUnit}'; neither is trusted: correct fixedUnit or the export",
                    Line: records.Line, Column: columns.Value.Number));
                return null;
            }

            return columns;

            Column Optional(string? name) => name is null ? Column.None : header.Find(name);
        }

        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error,
            string.Create(CultureInfo.InvariantCulture, $"the file ends before line {_mapping.HeaderRow}, where mapping '{_mapping.Name}' expects the column names"),
            Line: Math.Max(1, records.LastLine)));
        return null;
    }

    private void ReadRows(DelimitedRecordReader records, Columns columns, ReaderContext context, IReadSink sink)
    {
        var expected = columns.Headers.Count;
        var cells = new RowCells(sink, context, _mapping.MissingValues);
        var seen = new Dictionary<(string, string, string), int>();
        var fields = new List<string>(expected);
        var rows = 0;
        (int Line, int Count)? shortRow = null;
        while (records.TryRead(fields, out var status))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (sink.ErrorCount >= context.MaxErrors)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.TruncatedInput, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"stopped reading after {context.MaxErrors} errors"), Line: records.Line));
                return;
            }

            if (status == RecordStatus.TooLong)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.LineTooLong, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"the line is longer than {context.MaxLineLength} characters"), Line: records.Line));
                continue;
            }

            if (status == RecordStatus.UnterminatedQuote)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnterminatedQuote, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"a quoted field opens on this line and is still open at the end of the file (line {records.LastLine}): the file is cut or its quotes are broken"),
                    Line: records.Line));
                continue;
            }

            if (fields.All(f => f.Length == 0))
            {
                continue;
            }

            if (shortRow is { } earlier)
            {
                ReportFieldCount(earlier.Line, earlier.Count, expected, truncated: false, sink);
                shortRow = null;
            }

            var line = records.Line;
            if (fields.Count < expected)
            {
                shortRow = (line, fields.Count);
                continue;
            }

            if (fields.Skip(expected).Any(f => f.Length > 0))
            {
                ReportFieldCount(line, fields.Count, expected, truncated: false, sink);
                continue;
            }

            cells.Begin(fields, line);
            var result = ReadRow(cells, columns, context);
            if (result is null || cells.RowHasErrors)
            {
                continue;
            }

            var identity = (result.SampleName, result.SampleId ?? string.Empty, result.RawAnalyte);
            if (seen.TryGetValue(identity, out var firstLine))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"sample '{result.SampleName}'{(result.SampleId is null ? string.Empty : $" (ID '{result.SampleId}')")} × '{result.RawAnalyte}' appears twice; first at line {firstLine}"),
                    Line: line, Column: columns.SampleName.Number));
                continue;
            }

            seen[identity] = line;
            sink.OnResult(result);
            rows++;
        }

        if (shortRow is { } last)
        {
            ReportFieldCount(last.Line, last.Count, expected, truncated: true, sink);
        }

        if (rows == 0 && sink.ErrorCount == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoResults, DiagnosticSeverity.Error,
                "the export has a header but no rows", Line: columns.HeaderLine));
        }
    }

    private InstrumentResult? ReadRow(RowCells cells, Columns c, ReaderContext context)
    {
        var sampleName = cells.Text(c.SampleName.Index);
        var analyte = cells.Text(c.Analyte.Index);
        if (sampleName.Length == 0)
        {
            cells.Error(DiagnosticCodes.MissingSampleOrCompound, c.SampleName.Index, c.SampleName.Header, "the row has no sample name, so its result cannot be attributed");
        }

        if (analyte.Length == 0)
        {
            cells.Error(DiagnosticCodes.MissingSampleOrCompound, c.Analyte.Index, c.Analyte.Header, "the row has no analyte name, so its result cannot be attributed");
        }

        string? vendorType = null;
        var type = SampleType.Unknown;
        if (c.SampleType.Exists)
        {
            type = cells.SampleType(c.SampleType.Index, c.SampleType.Header, _mapping.SampleTypes, out vendorType);
        }

        var value = cells.Value(c.Value.Index, c.Value.Header, "value", out var raw);
        var unit = c.Unit.Exists ? cells.TextOrNull(c.Unit.Index) : _mapping.FixedUnit ?? c.Value.Unit ?? context.DefaultUnit;
        if (c.Unit.Exists && unit is not null && !cells.IsMissing(unit) && c.Value.Unit is { } headerUnit && !UnitText.SameUnit(unit, headerUnit))
        {
            // The export states the unit twice (Amount (ng/mL) beside a unit column); when they disagree, neither is trusted.
            cells.Error(DiagnosticCodes.ConflictingUnit, c.Unit.Index, c.Unit.Header, $"unit '{unit}' disagrees with the unit '{headerUnit}' in the value column's header '{c.Value.Header}'");
        }

        var nominal = c.Nominal.Exists ? cells.Decimal(c.Nominal.Index, c.Nominal.Header, "nominal concentration") : null;
        var acquired = c.Date.Exists ? cells.Date(c.Date.Index, c.Date.Header) : null;
        if (sampleName.Length == 0 || analyte.Length == 0)
        {
            return null;
        }

        return new InstrumentResult
        {
            Source = new SourcePosition(null, cells.Line),
            SampleName = sampleName,
            SampleId = c.SampleId.Exists ? cells.TextOrNull(c.SampleId.Index) : null,
            SampleType = type,
            VendorSampleType = vendorType,
            RawAnalyte = analyte,
            RawValueText = raw,
            Value = value,
            RawUnit = unit,
            Nominal = nominal,
            AcquiredLocal = acquired,
        };
    }

    private string? ProbeHead(ProbedFile file)
    {
        switch (_mapping.Encoding)
        {
            case DelimitedEncoding.Auto:
                return file.Head;
            case DelimitedEncoding.Utf8:
                return file.Encoding.StartsWith("UTF-16", StringComparison.Ordinal) ? null : file.Head;
            case DelimitedEncoding.Utf16 when file.Encoding.StartsWith("UTF-16", StringComparison.Ordinal):
                return file.Head;
        }

        // The probe decoded the head as UTF-8; a mapping that says otherwise decodes its own head.
        if (file.Encoding != "8-bit")
        {
            return null;
        }

        var buffer = new byte[(int)Math.Min(SourceProbe.HeadBytes, file.File.Length)];
        int read;
        using (var stream = file.File.Open())
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        return _mapping.Encoding == DelimitedEncoding.Utf16
            ? Encoding.Unicode.GetString(buffer, 0, read & ~1)
            : TextDecoder.Windows1252.GetString(buffer, 0, read);
    }

    private (TextReader? Text, Diagnostic? Problem) Open(SourceFile file)
    {
        if (_mapping.Encoding == DelimitedEncoding.Auto)
        {
            var (text, info) = TextDecoder.OpenText(file);
            return text is not null
                ? (text, null)
                : (null, new Diagnostic(
                    info.Kind == TextKind.Empty ? DiagnosticCodes.EmptyInput : DiagnosticCodes.BinaryInput,
                    DiagnosticSeverity.Error,
                    info.Kind == TextKind.Empty ? "the file is empty" : $"the file is binary, not a '{_mapping.Name}' export"));
        }

        var stream = file.Open();
        Span<byte> bom = stackalloc byte[3];
        var read = stream.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
        if (read == 0)
        {
            stream.Dispose();
            return (null, new Diagnostic(DiagnosticCodes.EmptyInput, DiagnosticSeverity.Error, "the file is empty"));
        }

        var utf8Bom = read == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF;
        var utf16Le = read >= 2 && bom[0] == 0xFF && bom[1] == 0xFE;
        var utf16Be = read >= 2 && bom[0] == 0xFE && bom[1] == 0xFF;
        Encoding encoding;
        int preamble;
        switch (_mapping.Encoding)
        {
            case DelimitedEncoding.Utf8 when !utf16Le && !utf16Be:
                encoding = StrictUtf8;
                preamble = utf8Bom ? 3 : 0;
                break;
            case DelimitedEncoding.Utf16 when !utf8Bom:
                encoding = new UnicodeEncoding(bigEndian: utf16Be, byteOrderMark: false, throwOnInvalidBytes: true);
                preamble = utf16Le || utf16Be ? 2 : 0;
                break;
            case DelimitedEncoding.Windows1252 when !utf8Bom && !utf16Le && !utf16Be:
                encoding = TextDecoder.Windows1252;
                preamble = 0;
                break;
            default:
                stream.Dispose();
                var found = utf8Bom ? "UTF-8" : utf16Le ? "UTF-16LE" : "UTF-16BE";
                return (null, new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                    $"the file starts with a {found} byte-order mark but mapping '{_mapping.Name}' says {EncodingName(_mapping.Encoding)}; fix the mapping or the export", Line: 1));
        }

        stream.Seek(preamble, SeekOrigin.Begin);
        return (new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16), null);
    }

    private static string EncodingName(DelimitedEncoding encoding) => encoding switch
    {
        DelimitedEncoding.Utf8 => "UTF-8",
        DelimitedEncoding.Utf16 => "UTF-16",
        DelimitedEncoding.Windows1252 => "Windows-1252",
        _ => "text",
    };

    private static void ReportFieldCount(int line, int count, int expected, bool truncated, IReadSink sink) =>
        sink.OnDiagnostic(new Diagnostic(
            truncated ? DiagnosticCodes.TruncatedInput : DiagnosticCodes.WrongFieldCount,
            DiagnosticSeverity.Error,
            truncated
                ? string.Create(CultureInfo.InvariantCulture, $"the last row has {count} fields where the header has {expected}: the file looks truncated")
                : string.Create(CultureInfo.InvariantCulture, $"the row has {count} fields where the header has {expected}"),
            Line: line,
            Column: Math.Min(count, expected) + 1));
}
