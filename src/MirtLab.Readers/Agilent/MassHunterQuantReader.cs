using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Delimited;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// Agilent MassHunter Quantitative Analysis wide CSV export (FORMATS.md): two header rows — group labels
/// (<c>Sample</c>, <c>&lt;Compound&gt; Method</c>, <c>&lt;Compound&gt; Results</c>, <c>Qualifier (Q1 -> Q3) Method/Results</c>)
/// over sub-headers (<c>Name</c>, <c>Type</c>, <c>RT</c>, <c>Final Conc.</c>, …) — then one row per injection.
/// Emits one row per sample × compound; qualifier groups belong to the compound before them and are not
/// results. The value is <c>Final Conc.</c> (includes dilution), else <c>Calc. Conc.</c> — refused for a sample
/// whose <c>Dil.</c> is not 1; the file states no unit, so the unit is the method's (<see cref="ReaderContext.DefaultUnit"/>).
/// </summary>
public sealed class MassHunterQuantReader : IInstrumentReader
{
    public const string Id = "agilent-masshunter-quant";

    private const string What = "MassHunter Quant CSV export";

    public string FormatId => Id;

    public string Description => "Agilent MassHunter Quantitative Analysis results (wide CSV, samples in rows)";

    public int Probe(SourceProbe probe)
    {
        var first = MassHunterCsv.FirstCell(probe, out var lines);
        if (first is null)
        {
            return 0;
        }

        if (first == "Sample" && HasCompoundGroup(lines[0]))
        {
            return lines.Count > 1 && SplitLine(lines[1]).Any(f => f is "Name" or "Data File") ? 95 : 60;
        }

        // Something stands before the group row: still ours, so the reader can say where the file went wrong.
        var groupRow = lines.Skip(1).Take(3).FirstOrDefault(l => l.StartsWith("Sample,", StringComparison.Ordinal));
        return groupRow is not null && HasCompoundGroup(groupRow) ? 60 : 0;

        static bool HasCompoundGroup(string line) =>
            SplitLine(line).Skip(1).Any(f => f.EndsWith(" Results", StringComparison.Ordinal) || f.EndsWith(" Method", StringComparison.Ordinal));

        static List<string> SplitLine(string line)
        {
            var fields = new List<string>();
            Fields.Split(line, MassHunterCsv.Delimiter, fields);
            return fields;
        }
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
                var header = ReadHeader(records, context, sink);
                if (header is not null)
                {
                    ReadRows(records, header, context, sink);
                }
            }
            catch (DecoderFallbackException ex)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                    $"the text cannot be decoded as {encoding.Name}: {ex.Message}", Line: lines.LineNumber + 1));
            }
        }
    }

    private sealed class Header
    {
        public required List<string> SubHeaders { get; init; }

        public required int SubHeaderLine { get; init; }

        public required MassHunterSampleColumns Sample { get; init; }

        public required List<MassHunterCompoundColumns> Compounds { get; init; }

        public required List<string> CompoundNames { get; init; }

        /// <summary>The leading Sample-group columns a quantitation-message row may fill; -1 without a message column.</summary>
        public required int MessageColumn { get; init; }

        public required int FirstDataColumn { get; init; }
    }

    private static Header? ReadHeader(DelimitedRecordReader records, ReaderContext context, IReadSink sink)
    {
        var groupRow = new List<string>();
        if (!records.TryRead(groupRow, out var status))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error, "the file has no lines", Line: 1));
            return null;
        }

        if (MassHunterCsv.ReportRecordProblem(status, records, context, sink))
        {
            return null;
        }

        if (groupRow.Count == 0 || groupRow[0] != "Sample")
        {
            var found = groupRow.FirstOrDefault(f => f.Length > 0);
            sink.OnDiagnostic(new Diagnostic(
                DiagnosticCodes.UnexpectedLeadingLine,
                DiagnosticSeverity.Error,
                found is null
                    ? "line 1 is empty: MassHunter writes the group-label row ('Sample', '<compound> Method', '<compound> Results') on line 1, so something was added before it after the export; re-export from MassHunter"
                    : $"line 1 holds '{MassHunterCsv.Excerpt(found)}' where MassHunter writes the group-label row starting with 'Sample'; the file was changed after the export; re-export from MassHunter",
                Line: records.Line,
                Column: 1));
            return null;
        }

        var subHeaders = new List<string>();
        if (!records.TryRead(subHeaders, out status))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingSubHeaderRow, DiagnosticSeverity.Error,
                "the file ends after the group-label row: the column-name row (Name, Data File, Type, … and each compound's RT, Area, Final Conc., …) is missing", Line: 2));
            return null;
        }

        if (MassHunterCsv.ReportRecordProblem(status, records, context, sink))
        {
            return null;
        }

        var subHeaderLine = records.Line;
        var width = Math.Max(groupRow.Count, subHeaders.Count);
        var groups = new List<MassHunterGroup>();
        for (var i = 0; i < width; i++)
        {
            var label = i < groupRow.Count ? groupRow[i] : string.Empty;
            if (label.Length > 0)
            {
                if (groups.Count > 0)
                {
                    groups[^1].End = i;
                }

                groups.Add(new MassHunterGroup(label, i));
            }
        }

        groups[^1].End = width;
        var sampleGroup = groups[0];
        if (sampleGroup.End > subHeaders.Count || !Enumerable.Range(sampleGroup.Start, sampleGroup.End - sampleGroup.Start).Any(i => subHeaders[i] is "Name" or "Data File"))
        {
            var merged = groupRow.FindIndex(f => f is "Name" or "Data File");
            var firstCell = subHeaders.FindIndex(f => f.Length > 0);
            sink.OnDiagnostic(new Diagnostic(
                DiagnosticCodes.MissingSubHeaderRow,
                DiagnosticSeverity.Error,
                (merged > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"line 1 mixes group labels with column names ('{groupRow[merged]}' at column {merged + 1}) and ")
                    : string.Empty)
                + $"line {subHeaderLine.ToString(CultureInfo.InvariantCulture)} holds '{(firstCell < 0 ? string.Empty : MassHunterCsv.Excerpt(subHeaders[firstCell]))}' where MassHunter writes the column names under the 'Sample' group (Name, Data File, Type, …): "
                + "the column-name row is missing, so the compound columns cannot be told apart (an area could be read as a concentration); re-export from MassHunter",
                Line: subHeaderLine,
                Column: firstCell < 0 ? 1 : firstCell + 1));
            return null;
        }

        var errorsBefore = sink.ErrorCount;
        var seenLabels = new Dictionary<string, int>(StringComparer.Ordinal);
        MassHunterGroup? currentCompound = null;
        var methods = new Dictionary<string, MassHunterGroup>(StringComparer.Ordinal);
        var results = new List<(string Name, MassHunterGroup Group)>();
        var ignored = new List<string>();
        foreach (var group in groups)
        {
            var isQualifier = group.Label.StartsWith("Qualifier", StringComparison.OrdinalIgnoreCase);
            for (var i = group.Start; i < group.End && i < subHeaders.Count; i++)
            {
                if (subHeaders[i].Length > 0 && !group.TryAdd(subHeaders[i], i) && !isQualifier)
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateColumn, DiagnosticSeverity.Error,
                        $"group '{group.Label}' has two '{subHeaders[i]}' columns; MassHunter writes each once per group",
                        Line: subHeaderLine, Column: i + 1));
                }
            }

            if (group == sampleGroup || isQualifier)
            {
                // Qualifier groups carry the compound before them; their transitions are not results.
                continue;
            }

            if (seenLabels.TryGetValue(group.Label, out var firstColumn))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateColumn, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"group '{group.Label}' appears twice (first at column {firstColumn + 1}): a compound's columns must be unambiguous"),
                    Line: 1, Column: group.Start + 1));
                continue;
            }

            seenLabels[group.Label] = group.Start;
            if (group.Label.EndsWith(" Results", StringComparison.Ordinal))
            {
                currentCompound = group;
                results.Add((group.Label[..^" Results".Length].Trim(), group));
            }
            else if (group.Label.EndsWith(" Method", StringComparison.Ordinal))
            {
                currentCompound = group;
                methods[group.Label[..^" Method".Length].Trim()] = group;
            }
            else
            {
                ignored.Add(group.Label);
            }
        }

        if (ignored.Count > 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Info,
                $"column groups not read (neither Sample, '<compound> Method', '<compound> Results' nor a qualifier): {string.Join(", ", ignored.Select(l => $"'{l}'"))}", Line: 1));
        }

        if (sink.ErrorCount > errorsBefore)
        {
            return null;
        }

        var sample = MassHunterSampleColumns.From(sampleGroup, subHeaders);
        var compounds = results
            .Select(r => MassHunterCompoundColumns.From(r.Name, MassHunterCsv.IsInternalStandard(r.Name), r.Group, methods.GetValueOrDefault(r.Name), subHeaders))
            .ToList();
        if (compounds.Count == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                "the header has no '<compound> Results' group, so there is nothing to read", Line: 1));
            return null;
        }

        var methodOnly = methods.Keys.Where(m => !results.Any(r => r.Name == m)).ToList();
        // An internal standard has no reportable concentration of its own; only analytes need one.
        var analytes = compounds.Where(c => !c.IsInternalStandard).ToList();
        var withoutConcentration = analytes.Where(c => c.ValueColumn < 0).Select(c => c.Name)
            .Concat(methodOnly.Where(m => !MassHunterCsv.IsInternalStandard(m)))
            .ToList();
        if (analytes.Count > 0 && withoutConcentration.Count == analytes.Count + methodOnly.Count(m => !MassHunterCsv.IsInternalStandard(m)))
        {
            // Peak data only: read to the last row, but nothing in it is a concentration the lab could report.
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoConcentrationColumn, DiagnosticSeverity.Warning,
                "no compound has a 'Final Conc.' or 'Calc. Conc.' column: the export holds peak data only, so every row is read with no value and held; export the quantitation results with the concentration columns to report them",
                Line: subHeaderLine));
        }
        else if (withoutConcentration.Count > 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.CompoundWithoutConcentration, DiagnosticSeverity.Warning,
                string.Create(CultureInfo.InvariantCulture,
                    $"{withoutConcentration.Count} of {analytes.Count + methodOnly.Count(m => !MassHunterCsv.IsInternalStandard(m))} compounds (internal standards aside) have no 'Final Conc.' or 'Calc. Conc.' column, so their rows carry no reportable value (peak data only): ")
                + string.Join(", ", withoutConcentration.Take(5).Select(n => $"'{n}'")) + (withoutConcentration.Count > 5 ? ", …" : string.Empty)
                + "; add the concentration to the export's compound results",
                Line: subHeaderLine));
        }

        if (sample.Name < 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                "the 'Sample' group has no 'Name' column; the results cannot be attributed", Line: subHeaderLine, Column: sampleGroup.Start + 1));
            return null;
        }

        if (sample.Type < 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingSampleTypeColumn, DiagnosticSeverity.Warning,
                "the 'Sample' group has no 'Type' column: every injection is read as a patient sample (Unknown) unless the lab's sample-name patterns say otherwise; add 'Type' to the export",
                Line: subHeaderLine));
        }

        var firstData = Enumerable.Range(sampleGroup.Start, sampleGroup.End - sampleGroup.Start)
            .First(i => subHeaders[i].Length > 0 && i != sample.QuantitationMessage);
        return new Header
        {
            SubHeaders = subHeaders,
            SubHeaderLine = subHeaderLine,
            Sample = sample,
            Compounds = compounds,
            CompoundNames = compounds.Select(c => c.Name).ToList(),
            MessageColumn = sample.QuantitationMessage >= 0 && sample.QuantitationMessage < firstData ? sample.QuantitationMessage : -1,
            FirstDataColumn = firstData,
        };
    }

    private static void ReadRows(DelimitedRecordReader records, Header header, ReaderContext context, IReadSink sink)
    {
        var expected = header.SubHeaders.Count;
        var cells = new RowCells(sink, context);
        var seen = new Dictionary<(string, string, string), int>();
        var fields = new List<string>(expected);
        var rows = 0;
        (int Line, int Count)? shortRow = null;
        PendingMessage? pending = null;
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

            if (MassHunterCsv.AllEmpty(fields))
            {
                continue;
            }

            if (shortRow is { } earlier)
            {
                ReportFieldCount(earlier.Line, earlier.Count, expected, truncated: false, sink);
                shortRow = null;
            }

            var line = records.Line;
            if (header.MessageColumn >= 0 && IsMessageOnly(fields, header.FirstDataColumn))
            {
                // A quantitation message whose cell lost its quotes: the row it belongs to follows on later lines.
                if (pending is null)
                {
                    pending = new PendingMessage(line, fields.Take(header.MessageColumn + 1).ToList());
                }
                else
                {
                    pending.Continuation.Add(string.Join(", ", fields.Where(f => f.Length > 0)));
                }

                continue;
            }

            List<string> row = fields;
            var messages = new List<string>();
            if (pending is not null)
            {
                var aligned = Realign(pending, fields, header);
                if (aligned is null)
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.OrphanQuantitationMessage, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture, $"the quantitation message on line {pending.Line} is followed by a row whose columns cannot be matched to the header (its Name, Data File and Type are not where the header puts them, whether or not it continues the message cell); re-export from MassHunter"),
                        Line: line, Column: header.Sample.Name + 1));
                    pending = null;
                    continue;
                }

                row = aligned.Value.Fields;
                messages.AddRange(aligned.Value.Messages);
                pending = null;
            }

            if (row.Count < expected || (row.Count > expected && !MassHunterCsv.AllEmpty(row, expected)))
            {
                if (row.Count < expected)
                {
                    // Decide at the next record whether this was the last one (a cut file) or a bad row.
                    shortRow = (line, row.Count);
                }
                else
                {
                    ReportFieldCount(line, row.Count, expected, truncated: false, sink);
                }

                continue;
            }

            cells.Begin(row, line);
            var sample = MassHunterRowBuilder.ReadSample(cells, header.Sample, header.SubHeaders, null, messages);
            if (sample is null)
            {
                continue;
            }

            var results = header.Compounds
                .Select(c => MassHunterRowBuilder.ReadCompound(cells, sample, c, header.CompoundNames, header.SubHeaders, context))
                .ToList();
            if (cells.RowHasErrors)
            {
                continue;
            }

            foreach (var result in results)
            {
                var identity = (result.SampleName, sample.DataFile ?? string.Empty, result.RawAnalyte);
                if (seen.TryGetValue(identity, out var firstLine))
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture, $"sample '{result.SampleName}' (data file '{sample.DataFile}') appears twice; first at line {firstLine}"),
                        Line: line, Column: header.Sample.Name + 1));
                    break;
                }

                seen[identity] = line;
                sink.OnResult(result);
                rows++;
            }
        }

        if (shortRow is { } last)
        {
            ReportFieldCount(last.Line, last.Count, expected, truncated: true, sink);
        }

        if (pending is not null)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.OrphanQuantitationMessage, DiagnosticSeverity.Error,
                "the file ends with a quantitation message and no sample row after it: the file looks cut", Line: pending.Line));
        }

        if (rows == 0 && sink.ErrorCount == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoResults, DiagnosticSeverity.Error,
                "the export has a header but no sample rows", Line: header.SubHeaderLine));
        }
    }

    private static bool IsMessageOnly(List<string> fields, int firstDataColumn)
    {
        for (var i = firstDataColumn; i < fields.Count; i++)
        {
            if (fields[i].Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Puts a row that follows message-only lines back under the header. MassHunter writes a multi-line
    /// message as one quoted cell; a file whose quotes were lost shows the cell's lines as rows of their own
    /// and the sample row starting inside the message cell (shifted left). The row is taken either shifted
    /// or as it stands, whichever puts a name, a data file (<c>.d</c>) and a known type under their headers;
    /// when both or neither do, the row is refused rather than guessed.
    /// </summary>
    private static (List<string> Fields, List<string> Messages)? Realign(PendingMessage pending, List<string> fields, Header header)
    {
        var m = header.MessageColumn;
        if (pending.Start.Count <= m || fields.Count == 0)
        {
            // The message line itself is short of the message column: nothing to realign, refuse the row.
            return null;
        }

        var messageParts = new List<string> { pending.Start[m] };
        messageParts.AddRange(pending.Continuation);

        var shifted = new List<string>(pending.Start.Take(m)) { string.Join("\n", messageParts.Append(fields[0]).Where(p => p.Length > 0)) };
        shifted.AddRange(fields.Skip(1));

        var asIs = new List<string>(fields);
        while (asIs.Count <= m)
        {
            asIs.Add(string.Empty);
        }

        var candidates = new[] { shifted, asIs }.Where(Fits).ToList();
        if (candidates.Count != 1)
        {
            return null;
        }

        var chosen = candidates[0];
        var messages = new List<string>();
        if (chosen == asIs)
        {
            messages.AddRange(messageParts);
        }

        for (var i = 0; i < m; i++)
        {
            if (chosen[i].Length == 0 && pending.Start[i].Length > 0)
            {
                chosen[i] = pending.Start[i];
            }
        }

        return (chosen, messages);

        bool Fits(List<string> row)
        {
            var s = header.Sample;
            string Cell(int i) => i >= 0 && i < row.Count ? row[i] : string.Empty;
            return Cell(s.Name).Length > 0
                && (s.DataFile < 0 || Cell(s.DataFile).EndsWith(".d", StringComparison.OrdinalIgnoreCase))
                && (s.Type < 0 || VendorSampleTypes.TryMap(Cell(s.Type), out _))
                && (s.DataFile >= 0 || s.Type >= 0);
        }
    }

    private static void ReportFieldCount(int line, int count, int expected, bool truncated, IReadSink sink) =>
        sink.OnDiagnostic(new Diagnostic(
            truncated ? DiagnosticCodes.TruncatedInput : DiagnosticCodes.WrongFieldCount,
            DiagnosticSeverity.Error,
            truncated
                ? string.Create(CultureInfo.InvariantCulture, $"the last row has {count} fields where the header has {expected}: the file looks truncated")
                : string.Create(CultureInfo.InvariantCulture, $"the row has {count} fields where the header has {expected}; the columns cannot be matched to the header"),
            Line: line,
            Column: Math.Min(count, expected) + 1));

    private sealed class PendingMessage(int line, List<string> start)
    {
        public int Line { get; } = line;

        public List<string> Start { get; } = start;

        public List<string> Continuation { get; } = [];
    }
}
