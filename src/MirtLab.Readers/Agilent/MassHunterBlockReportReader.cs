using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers.Delimited;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// Agilent MassHunter Quant B.0x block report CSV (FORMATS.md "Older block report"): a <c>Batch Info</c>
/// preamble, a <c>Sequence Table</c> (data file → sample name, level, sample type), then
/// <c>Quantitation Results</c> with one <c>Target Compound</c> block per analyte (<c>Data File, Compound, ISTD,
/// Resp, ISTD Resp, Resp Ratio, Final Conc, Exp Conc, Accuracy</c>). Rows are padded with empty fields and
/// some names carry leading spaces. Each block row becomes one result; its sample comes from the sequence
/// table by data file, and a data file the sequence does not list is an error, never a guess.
/// </summary>
public sealed class MassHunterBlockReportReader : IInstrumentReader
{
    public const string Id = "agilent-masshunter-block-report";

    private const string What = "MassHunter Quant block report";

    public string FormatId => Id;

    public string Description => "Agilent MassHunter Quantitative Analysis block report (Batch Info, Sequence Table, Quantitation Results CSV)";

    public int Probe(SourceProbe probe)
    {
        var first = MassHunterCsv.FirstCell(probe, out var lines);
        if (first != "Batch Info")
        {
            return 0;
        }

        return lines.Any(l => l.StartsWith("Sequence Table", StringComparison.Ordinal) || l.StartsWith("Quantitation Results", StringComparison.Ordinal)) ? 95 : 70;
    }

    public void Read(ReadSource source, ReaderContext context, IReadSink sink)
    {
        var (lines, encoding) = MassHunterCsv.Open(source, context, sink, What);
        if (lines is null)
        {
            return;
        }

        using (lines)
        {
            var records = new DelimitedRecordReader(lines, MassHunterCsv.Delimiter, context.MaxLineLength);
            try
            {
                new Session(records, context, sink).Run();
            }
            catch (DecoderFallbackException ex)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                    $"the text cannot be decoded as {encoding.Name}: {ex.Message}", Line: lines.LineNumber + 1));
            }
        }
    }

    private enum Section
    {
        Preamble,
        SequenceHeader,
        Sequence,
        Results,
        BlockHeader,
        Block,
    }

    /// <summary>A sequence row; the dilution is kept as text, read only when a block has no <c>Final Conc</c> to take it from.</summary>
    private sealed record SequenceEntry(string Name, SampleType Type, string? VendorType, string? Level, DateTime? Acquired, string Dilution, int Line);

    private sealed record BlockColumns(
        string Compound,
        int HeaderLine,
        int Count,
        int DataFile,
        int CompoundName,
        int InternalStandard,
        int Response,
        int InternalStandardResponse,
        int FinalConcentration,
        int CalculatedConcentration,
        int ExpectedConcentration,
        int Accuracy,
        List<string> Headers)
    {
        public int ValueColumn => FinalConcentration >= 0 ? FinalConcentration : CalculatedConcentration;

        public string Header(int index) => index >= 0 && index < Headers.Count ? Headers[index].Trim() : string.Empty;
    }

    private sealed class Session(DelimitedRecordReader records, ReaderContext context, IReadSink sink)
    {
        private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SequenceEntry> _sequence = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<(string, string), int> _seen = [];
        private readonly RowCells _cells = new(sink, context);
        private string? _batchName;
        private bool _runInfoSent;
        private bool _sawResults;
        private int _rows;
        private (int DataFile, int Name, int Level, int Type, int Date, int Dilution, int Count, List<string> Headers)? _sequenceColumns;
        private BlockColumns? _block;
        private (int Line, int Count, int Expected)? _shortRow;

        public void Run()
        {
            var fields = new List<string>();
            var section = Section.Preamble;
            var first = true;
            while (records.TryRead(fields, out var status))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (sink.ErrorCount >= context.MaxErrors)
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.TruncatedInput, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture, $"stopped reading after {context.MaxErrors} errors"), Line: records.Line));
                    return;
                }

                if (MassHunterCsv.ReportRecordProblem(status, records, context, sink))
                {
                    continue;
                }

                var line = records.Line;
                var key = fields.Count > 0 ? fields[0] : string.Empty;
                if (first)
                {
                    first = false;
                    if (key != "Batch Info")
                    {
                        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnexpectedLeadingLine, DiagnosticSeverity.Error,
                            $"line 1 starts with '{MassHunterCsv.Excerpt(key)}' where a MassHunter block report starts with 'Batch Info'; the file was changed after the export",
                            Line: line, Column: 1));
                        return;
                    }
                }

                if (MassHunterCsv.AllEmpty(fields))
                {
                    section = section switch
                    {
                        Section.Sequence => Section.Preamble,
                        Section.Block => Section.Results,
                        _ => section,
                    };
                    continue;
                }

                if (_shortRow is not null)
                {
                    FlushShortRow(truncated: false);
                }

                switch (key)
                {
                    case "Sequence Table" when section is Section.Preamble or Section.Sequence:
                        section = Section.SequenceHeader;
                        continue;
                    case "Quantitation Results" when section is Section.Preamble or Section.Sequence:
                        SendRunInfo();
                        _sawResults = true;
                        section = Section.Results;
                        continue;
                    case "Target Compound" when section is Section.Results or Section.Block:
                        _block = null;
                        var compound = fields.Count > 1 ? fields[1] : string.Empty;
                        if (compound.Length == 0)
                        {
                            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Error,
                                "'Target Compound' names no compound", Line: line, Column: 2));
                        }

                        section = Section.BlockHeader;
                        _pendingCompound = compound;
                        continue;
                }

                switch (section)
                {
                    case Section.Preamble:
                        ReadProperties(fields);
                        break;
                    case Section.SequenceHeader:
                        section = ReadSequenceHeader(fields, line) ? Section.Sequence : Section.Preamble;
                        break;
                    case Section.Sequence:
                        ReadSequenceRow(fields, line);
                        break;
                    case Section.Results:
                        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Error,
                            $"'{MassHunterCsv.Excerpt(key)}' stands where a 'Target Compound' block or the end of the report was expected",
                            Line: line, Column: 1));
                        break;
                    case Section.BlockHeader:
                        section = ReadBlockHeader(fields, line) ? Section.Block : Section.Results;
                        break;
                    case Section.Block:
                        ReadBlockRow(fields, line);
                        break;
                }
            }

            FlushShortRow(truncated: true);
            SendRunInfo();
            if (!_sawResults)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error,
                    "the report has no 'Quantitation Results' section", Line: Math.Max(1, records.LastLine)));
            }
            else if (_rows == 0 && sink.ErrorCount == 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoResults, DiagnosticSeverity.Error,
                    "the 'Quantitation Results' section has no result rows", Line: Math.Max(1, records.LastLine)));
            }
        }

        private string _pendingCompound = string.Empty;

        private void ReadProperties(List<string> fields)
        {
            if (fields[0] == "Batch Info")
            {
                _properties["Batch Info"] = string.Join("; ", fields.Skip(1).Where(f => f.Length > 0));
                return;
            }

            for (var i = 0; i + 1 < fields.Count; i += 2)
            {
                if (fields[i].Length > 0)
                {
                    _properties[fields[i]] = fields[i + 1];
                }
            }

            if (fields[0] == "Batch Data Path" && fields.Count > 1)
            {
                var path = fields[1];
                _batchName = path[(path.LastIndexOfAny(['\\', '/']) + 1)..];
            }
        }

        private void SendRunInfo()
        {
            if (_runInfoSent)
            {
                return;
            }

            _runInfoSent = true;
            sink.OnRunInfo(new RunInfo
            {
                BatchName = _batchName,
                Operator = _properties.GetValueOrDefault("Analyst Name"),
                Properties = _properties,
            });
        }

        private bool ReadSequenceHeader(List<string> fields, int line)
        {
            var headers = new List<string>(fields);
            var dataFile = Find(headers, "Data File");
            var name = Find(headers, "Sample Name", "Name");
            if (dataFile < 0 || name < 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                    $"the sequence table header has no {(dataFile < 0 ? "'Data File'" : "'Sample Name'")} column; it names: {string.Join(", ", headers.Where(h => h.Length > 0))}",
                    Line: line));
                return false;
            }

            var type = Find(headers, "Sample Type", "Type");
            if (type < 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingSampleTypeColumn, DiagnosticSeverity.Warning,
                    "the sequence table has no 'Sample Type' column: every injection is read as a patient sample (Unknown) unless the lab's sample-name patterns say otherwise",
                    Line: line));
            }

            _sequenceColumns = (dataFile, name, Find(headers, "Level"), type, Find(headers, "Acq Date-Time", "Acq. Date-Time", "Acquisition Date-Time"),
                Find(headers, "Dil.", "Dilution"), LastNamed(headers) + 1, headers);
            return true;
        }

        private void ReadSequenceRow(List<string> fields, int line)
        {
            var c = _sequenceColumns!.Value;
            if (fields.Count < c.Count)
            {
                _shortRow = (line, fields.Count, c.Count);
                return;
            }

            _cells.Begin(fields, line);
            var dataFile = _cells.Text(c.DataFile);
            var name = _cells.Text(c.Name);
            if (dataFile.Length == 0 || name.Length == 0)
            {
                _cells.Error(DiagnosticCodes.MissingSampleOrCompound, dataFile.Length == 0 ? c.DataFile : c.Name, dataFile.Length == 0 ? "Data File" : "Sample Name",
                    "the sequence row has no data file or sample name, so results cannot be attributed to it");
                return;
            }

            var type = _cells.SampleType(c.Type, c.Type >= 0 ? c.Headers[c.Type] : "Sample Type", null, out var vendorType);
            var acquired = _cells.Date(c.Date, c.Date >= 0 ? c.Headers[c.Date] : string.Empty);
            if (_cells.RowHasErrors)
            {
                return;
            }

            if (_sequence.TryGetValue(dataFile, out var earlier))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"data file '{dataFile}' appears twice in the sequence table; first at line {earlier.Line}"),
                    Line: line, Column: c.DataFile + 1));
                return;
            }

            _sequence[dataFile] = new SequenceEntry(name, type, vendorType, _cells.TextOrNull(c.Level), acquired, _cells.Text(c.Dilution), line);
        }

        private bool ReadBlockHeader(List<string> fields, int line)
        {
            var headers = new List<string>(fields);
            var columns = new BlockColumns(
                _pendingCompound,
                line,
                LastNamed(headers) + 1,
                Find(headers, "Data File"),
                Find(headers, "Compound"),
                Find(headers, "ISTD"),
                Find(headers, "Resp"),
                Find(headers, "ISTD Resp"),
                Find(headers, "Final Conc"),
                Find(headers, "Calc Conc"),
                Find(headers, "Exp Conc"),
                Find(headers, "Accuracy"),
                headers);
            var missing = new List<string>();
            if (columns.DataFile < 0)
            {
                missing.Add("'Data File'");
            }

            if (columns.ValueColumn < 0)
            {
                missing.Add("'Final Conc' / 'Calc Conc'");
            }

            if (missing.Count > 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                    $"the '{_pendingCompound}' block header has no {string.Join(", ", missing)} column; it names: {string.Join(", ", headers.Where(h => h.Length > 0))}",
                    Line: line));
                return false;
            }

            _block = columns;
            return true;
        }

        private void ReadBlockRow(List<string> fields, int line)
        {
            var b = _block!;
            if (fields.Count < b.Count)
            {
                _shortRow = (line, fields.Count, b.Count);
                return;
            }

            _cells.Begin(fields, line);
            var dataFile = _cells.Text(b.DataFile);
            var compound = b.CompoundName >= 0 ? _cells.Text(b.CompoundName) : b.Compound;
            if (dataFile.Length == 0)
            {
                _cells.Error(DiagnosticCodes.MissingSampleOrCompound, b.DataFile, "Data File", "the row has no data file, so its result cannot be attributed");
                return;
            }

            if (!string.Equals(compound, b.Compound, StringComparison.Ordinal))
            {
                _cells.Error(DiagnosticCodes.MismatchedBlockCompound, b.CompoundName, b.Header(b.CompoundName),
                    $"the row names compound '{compound}' inside the 'Target Compound' block of '{b.Compound}' (line {b.HeaderLine - 1}); the report is inconsistent");
                return;
            }

            if (!_sequence.TryGetValue(dataFile, out var sample))
            {
                _cells.Error(DiagnosticCodes.UnknownDataFile, b.DataFile, "Data File",
                    $"data file '{dataFile}' is not in the sequence table, so its sample name and type are unknown");
                return;
            }

            var value = _cells.Value(b.ValueColumn, b.Header(b.ValueColumn), "concentration", out var raw);
            if (b.FinalConcentration < 0)
            {
                decimal? dilution = InstrumentNumber.TryParseDecimal(sample.Dilution, context.Culture, out var factor) ? factor : null;
                var unreadable = dilution is null && !_cells.IsMissing(sample.Dilution) ? sample.Dilution.Trim() : null;
                MassHunterRowBuilder.RefuseUndilutedValue(_cells, b.ValueColumn, b.Header(b.ValueColumn), sample.Name, compound, MassHunterCsv.IsInternalStandard(compound),
                    value, raw, dilution, unreadable);
            }
            var result = new InstrumentResult
            {
                Source = new SourcePosition(null, line),
                SampleName = sample.Name,
                SampleType = sample.Type,
                VendorSampleType = sample.VendorType,
                Level = sample.Level,
                RawAnalyte = compound,
                IsInternalStandard = MassHunterCsv.IsInternalStandard(compound),
                InternalStandard = _cells.TextOrNull(b.InternalStandard),
                RawValueText = raw,
                Value = value,
                RawUnit = context.DefaultUnit,
                Nominal = _cells.Decimal(b.ExpectedConcentration, b.Header(b.ExpectedConcentration), "expected concentration"),
                Area = _cells.Double(b.Response, b.Header(b.Response), "response"),
                InternalStandardArea = _cells.Double(b.InternalStandardResponse, b.Header(b.InternalStandardResponse), "ISTD response"),
                VendorAccuracy = _cells.Decimal(b.Accuracy, b.Header(b.Accuracy), "accuracy"),
                AcquiredLocal = sample.Acquired,
            };
            if (_cells.RowHasErrors)
            {
                return;
            }

            if (_seen.TryGetValue((dataFile, compound), out var firstLine))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"data file '{dataFile}' × '{compound}' appears twice; first at line {firstLine}"),
                    Line: line, Column: b.DataFile + 1));
                return;
            }

            _seen[(dataFile, compound)] = line;
            sink.OnResult(result);
            _rows++;
        }

        private void FlushShortRow(bool truncated)
        {
            if (_shortRow is not { } row)
            {
                return;
            }

            _shortRow = null;
            sink.OnDiagnostic(new Diagnostic(
                truncated ? DiagnosticCodes.TruncatedInput : DiagnosticCodes.WrongFieldCount,
                DiagnosticSeverity.Error,
                truncated
                    ? string.Create(CultureInfo.InvariantCulture, $"the last row has {row.Count} fields where its header has {row.Expected}: the file looks truncated")
                    : string.Create(CultureInfo.InvariantCulture, $"the row has {row.Count} fields where its header has {row.Expected}; the columns cannot be matched to the header"),
                Line: row.Line,
                Column: row.Count + 1));
        }

        private static int Find(List<string> headers, params string[] names)
        {
            foreach (var name in names)
            {
                var key = MassHunterCsv.Key(name);
                var index = headers.FindIndex(h => MassHunterCsv.Key(h) == key);
                if (index >= 0)
                {
                    return index;
                }
            }

            return -1;
        }

        private static int LastNamed(List<string> headers) => headers.FindLastIndex(h => h.Length > 0);
    }
}
