using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Delimited;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// Agilent MassHunter Quantitative Analysis "compound table" CSV (compounds in rows): cell A1 is
/// <c>Compound Method</c>, then one column group per injection labelled with the sample name (a sample's
/// information and its results may come as two groups under the same label). Emits one row per compound ×
/// injection, with the same value rules as the wide export.
/// </summary>
public sealed class MassHunterCompoundTableReader : IInstrumentReader
{
    public const string Id = "agilent-masshunter-compound-table";

    private const string What = "MassHunter Quant compound-table export";

    public string FormatId => Id;

    public string Description => "Agilent MassHunter Quantitative Analysis results (compound table CSV, compounds in rows)";

    public int Probe(SourceProbe probe)
    {
        var first = MassHunterCsv.FirstCell(probe, out var lines);
        if (first != "Compound Method")
        {
            return 0;
        }

        return lines.Count > 1 && lines[1].StartsWith("Name,", StringComparison.Ordinal) ? 95 : 60;
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

    private sealed record Injection(MassHunterGroup Group, MassHunterSampleColumns Sample, MassHunterCompoundColumns Compound);

    private sealed record Header(List<string> SubHeaders, int SubHeaderLine, int CompoundName, List<Injection> Injections);

    private static Header? ReadHeader(DelimitedRecordReader records, ReaderContext context, IReadSink sink)
    {
        var groupRow = new List<string>();
        var subHeaders = new List<string>();
        if (!records.TryRead(groupRow, out var status) || MassHunterCsv.ReportRecordProblem(status, records, context, sink))
        {
            if (groupRow.Count == 0 && status == RecordStatus.Ok)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error, "the file has no lines", Line: 1));
            }

            return null;
        }

        if (groupRow.Count == 0 || groupRow[0] != "Compound Method")
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnexpectedLeadingLine, DiagnosticSeverity.Error,
                $"line 1 starts with '{MassHunterCsv.Excerpt(groupRow.FirstOrDefault() ?? string.Empty)}' where a MassHunter compound table starts with 'Compound Method'",
                Line: records.Line, Column: 1));
            return null;
        }

        if (!records.TryRead(subHeaders, out status))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingSubHeaderRow, DiagnosticSeverity.Error,
                "the file ends after the group-label row: the column-name row (Name, … and each sample's RT, Area, Final Conc., …) is missing", Line: 2));
            return null;
        }

        if (MassHunterCsv.ReportRecordProblem(status, records, context, sink))
        {
            return null;
        }

        var subHeaderLine = records.Line;
        if (subHeaders.Count == 0 || subHeaders[0] != "Name")
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingSubHeaderRow, DiagnosticSeverity.Error,
                $"line {subHeaderLine.ToString(CultureInfo.InvariantCulture)} starts with '{MassHunterCsv.Excerpt(subHeaders.FirstOrDefault() ?? string.Empty)}' where MassHunter writes the column names ('Name' under 'Compound Method', then each sample's RT, Area, …): the column-name row is missing; re-export from MassHunter",
                Line: subHeaderLine, Column: 1));
            return null;
        }

        var width = Math.Max(groupRow.Count, subHeaders.Count);
        var labelled = new List<MassHunterGroup>();
        for (var i = 0; i < width; i++)
        {
            var label = i < groupRow.Count ? groupRow[i] : string.Empty;
            if (label.Length > 0)
            {
                if (labelled.Count > 0)
                {
                    labelled[^1].End = i;
                }

                labelled.Add(new MassHunterGroup(label, i));
            }
        }

        labelled[^1].End = width;
        var errorsBefore = sink.ErrorCount;
        var compoundGroup = labelled[0];
        AddColumns(compoundGroup);

        // A sample's information and its results can be two groups under the same label: one injection.
        var injections = new List<MassHunterGroup>();
        foreach (var group in labelled.Skip(1))
        {
            var keys = Enumerable.Range(group.Start, group.End - group.Start)
                .Where(i => i < subHeaders.Count && subHeaders[i].Length > 0)
                .Select(i => MassHunterCsv.Key(subHeaders[i]))
                .ToList();
            if (injections.Count > 0 && injections[^1].Label == group.Label && !keys.Any(k => injections[^1].SubHeaderKeys.Contains(k)))
            {
                var merged = injections[^1];
                merged.End = group.End;
                AddColumns(merged, group.Start);
                continue;
            }

            AddColumns(group);
            injections.Add(group);
        }

        if (sink.ErrorCount > errorsBefore)
        {
            return null;
        }

        if (injections.Count == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                "the compound table has no sample column groups, so there is nothing to read", Line: 1));
            return null;
        }

        var list = injections.Select(g => new Injection(
            g,
            MassHunterSampleColumns.From(g, subHeaders),
            MassHunterCompoundColumns.From(string.Empty, false, g, compoundGroup, subHeaders))).ToList();
        if (list.All(i => i.Compound.ValueColumn < 0))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoConcentrationColumn, DiagnosticSeverity.Warning,
                "no sample group has a 'Final Conc.' or 'Calc. Conc.' column: the export holds peak data only, so every row is read with no value and held; export the quantitation results with the concentration columns to report them",
                Line: subHeaderLine));
        }
        else if (list.FirstOrDefault(i => i.Compound.ValueColumn < 0) is { } without)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.CompoundWithoutConcentration, DiagnosticSeverity.Warning,
                $"sample group '{without.Group.Label}' has no 'Final Conc.' or 'Calc. Conc.' column, so its rows carry no reportable value",
                Line: subHeaderLine, Column: without.Group.Start + 1));
        }

        if (list.Any(i => i.Sample.Type < 0))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingSampleTypeColumn, DiagnosticSeverity.Warning,
                "the sample groups have no 'Type' column: those injections are read as patient samples (Unknown) unless the lab's sample-name patterns say otherwise; add 'Type' to the export",
                Line: subHeaderLine));
        }

        return new Header(subHeaders, subHeaderLine, compoundGroup.Find("Name"), list);

        void AddColumns(MassHunterGroup group, int? from = null)
        {
            for (var i = from ?? group.Start; i < group.End && i < subHeaders.Count; i++)
            {
                if (subHeaders[i].Length > 0 && !group.TryAdd(subHeaders[i], i))
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateColumn, DiagnosticSeverity.Error,
                        $"group '{group.Label}' has two '{subHeaders[i]}' columns; MassHunter writes each once per group",
                        Line: subHeaderLine, Column: i + 1));
                }
            }
        }
    }

    private static void ReadRows(DelimitedRecordReader records, Header header, ReaderContext context, IReadSink sink)
    {
        var expected = header.SubHeaders.Count;
        var cells = new RowCells(sink, context);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
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

            if (MassHunterCsv.ReportRecordProblem(status, records, context, sink) || MassHunterCsv.AllEmpty(fields))
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

            if (fields.Count > expected && !MassHunterCsv.AllEmpty(fields, expected))
            {
                ReportFieldCount(line, fields.Count, expected, truncated: false, sink);
                continue;
            }

            cells.Begin(fields, line);
            var compoundName = cells.Text(header.CompoundName);
            if (compoundName.Length == 0)
            {
                cells.Error(DiagnosticCodes.MissingSampleOrCompound, header.CompoundName, "Name", "the row has no compound name, so its results cannot be attributed");
                continue;
            }

            var isInternalStandard = MassHunterCsv.IsInternalStandard(compoundName);
            var results = new List<Core.Results.InstrumentResult>();
            foreach (var injection in header.Injections)
            {
                var sample = MassHunterRowBuilder.ReadSample(cells, injection.Sample, header.SubHeaders, injection.Group.Label, []);
                if (sample is null)
                {
                    continue;
                }

                var compound = injection.Compound with { Name = compoundName, IsInternalStandard = isInternalStandard };
                results.Add(MassHunterRowBuilder.ReadCompound(cells, sample, compound, [compoundName], header.SubHeaders, context, injection.Group.Start + 1));
            }

            if (cells.RowHasErrors)
            {
                continue;
            }

            if (seen.TryGetValue(compoundName, out var firstLine))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"compound '{compoundName}' appears twice; first at line {firstLine}"),
                    Line: line, Column: header.CompoundName + 1));
                continue;
            }

            seen[compoundName] = line;
            foreach (var result in results)
            {
                sink.OnResult(result);
                rows++;
            }
        }

        if (shortRow is { } last)
        {
            ReportFieldCount(last.Line, last.Count, expected, truncated: true, sink);
        }

        if (rows == 0 && sink.ErrorCount == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoResults, DiagnosticSeverity.Error,
                "the compound table has a header but no compound rows", Line: header.SubHeaderLine));
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
}
