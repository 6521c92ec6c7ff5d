using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Runs;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// An Agilent ChemStation / OpenLab CDS ChemStation Edition <c>.D</c> folder, dropped whole: one run of one injection.
/// Format id <c>agilent-chemstation-d</c>. The method's report settings decide which report files the folder holds;
/// each is recognised by its content (file names only for the per-signal <c>REPORTnn.CSV</c>, which may be a bare
/// byte-order mark). They describe the same peaks, so one is read, by precedence of the richest quantitative source:
/// an ACAML export with injection results (<see cref="AcamlDocument"/>), then <c>Result.xml</c>
/// (<see cref="ChemStationXmlResult"/>), then <c>Report00.CSV</c> with its <c>REPORTnn.CSV</c>
/// (<see cref="ChemStationCsvReport"/>), then <c>Report.TXT</c> (<see cref="ChemStationTextReport"/>). An info
/// diagnostic names the file read; every other report file present is read too and compared with it
/// (<see cref="ChemStationCrossCheck"/>): a disagreement is a warning and holds the results it touches. What becomes
/// a result is decided in one place for all four files (<see cref="ChemStationRows"/>).
/// </summary>
public sealed class ChemStationFolderReader : IInstrumentReader
{
    public const string Id = "agilent-chemstation-d";

    public string FormatId => Id;

    public string Description => "Agilent ChemStation / OpenLab CDS ChemStation Edition .D folder (ACAML, Result.xml, Report00/REPORTnn.CSV, Report.TXT)";

    public int Probe(SourceProbe probe)
    {
        if (!probe.Source.IsFolder)
        {
            return 0;
        }

        var files = probe.Files.Where(f => !f.LooksBinary).ToList();
        if (files.Any(f => AcamlDocument.Looks(f) || ChemStationXmlResult.Looks(f) || ChemStationCsvReport.Looks(f) || ChemStationTextReport.Looks(f)))
        {
            return 100;
        }

        // Per-signal files alone (UTF-16, perhaps a bare BOM): ours, so that the missing Report00.CSV is named precisely.
        return files.Any(f => ChemStationCsvReport.SignalNumber(f.File.Name) is not null && f.Encoding == "UTF-16LE") ? 60 : 0;
    }

    public void Read(ReadSource source, ReaderContext context, IReadSink sink)
    {
        var found = Classify(SourceProbe.Create(source), context);
        var directories = found.All.Select(Directory).Distinct(StringComparer.Ordinal).ToList();
        if (directories.Count > 1)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.SeveralInjections, DiagnosticSeverity.Error,
                $"the folder holds the reports of several injections ({string.Join(", ", directories.Select(d => d.Length == 0 ? "(top level)" : d))}): drop each .D folder on its own"));
            return;
        }

        foreach (var problem in found.Problems)
        {
            sink.OnDiagnostic(problem);
        }

        if (found.Problems.Any(p => p.IsError))
        {
            return;
        }

        var sources = found.Sources;
        if (sources.Count == 0 && found.SignalFiles.Count == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingCompanionFile, DiagnosticSeverity.Error,
                "the folder holds no ChemStation report (Report00.CSV, Report.TXT, Result.xml or an ACAML export with injection results)"));
            return;
        }

        if (sources.Count == 0)
        {
            var orphan = found.SignalFiles[0];
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingCompanionFile, DiagnosticSeverity.Error,
                $"{orphan.Name} has no Report00.CSV beside it: the per-signal files have no header, so their columns and the sample are unknown " +
                "(copy the whole .D folder, or set the method to export Report00.CSV too)",
                orphan.RelativePath));
            return;
        }

        var primary = sources[0];
        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.ChemStationReportChosen, DiagnosticSeverity.Info,
            $"read {primary.Name} ({primary.Kind}), the richest quantitative report in the folder" +
            (sources.Count > 1 ? $"; cross-checked against {string.Join(", ", sources.Skip(1).Select(s => s.Name))}" : string.Empty) +
            (found.Ignored.Count > 0 ? $"; not read: {string.Join(", ", found.Ignored)}" : string.Empty),
            primary.File.RelativePath));
        var injection = primary.Parse(context, sink);
        if (injection is null)
        {
            return;
        }

        ReadInjection(injection, sources.Skip(1).ToList(), context, sink);
    }

    /// <summary>Builds the rows of the chosen report, cross-checks them against the other reports, and emits them.</summary>
    internal static void ReadInjection(ChemStationInjection injection, IReadOnlyList<ReportSource> others, ReaderContext context, IReadSink sink)
    {
        var scratch = new ReadOutput();
        var read = ChemStationRows.Build(injection, context, scratch);
        var checks = new List<Diagnostic>();
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!scratch.HasErrors)
        {
            foreach (var other in others)
            {
                var otherOutput = new ReadOutput();
                var otherInjection = other.Parse(context, otherOutput);
                var otherRead = otherInjection is null ? null : ChemStationRows.Build(otherInjection, context, otherOutput);
                if (otherInjection is null || otherRead is null || otherOutput.HasErrors)
                {
                    checks.Add(new Diagnostic(DiagnosticCodes.CrossCheckUnavailable, DiagnosticSeverity.Warning,
                        $"{other.Name} could not be read to cross-check the amounts ({otherOutput.Diagnostics.FirstOrDefault(d => d.IsError)}); " +
                        $"the results rest on {injection.File ?? injection.Kind} alone",
                        other.File.RelativePath));
                    continue;
                }

                foreach (var (key, list) in ChemStationCrossCheck.Compare(injection, read, otherInjection, otherRead, checks))
                {
                    if (!flags.TryGetValue(key, out var all))
                    {
                        flags[key] = all = [];
                    }

                    all.AddRange(list);
                }
            }
        }

        if (flags.Count > 0)
        {
            read = ChemStationRows.Build(injection, context, sink, flags);
        }
        else
        {
            foreach (var diagnostic in scratch.Diagnostics)
            {
                sink.OnDiagnostic(diagnostic);
            }
        }

        foreach (var check in checks)
        {
            sink.OnDiagnostic(check);
        }

        var properties = new Dictionary<string, string>(read.Info.Properties, StringComparer.Ordinal)
        {
            ["Report file"] = injection.File ?? injection.Kind,
        };
        if (others.Count > 0)
        {
            properties["Cross-checked against"] = string.Join(", ", others.Select(o => o.Name));
        }

        sink.OnRunInfo(new RunInfo
        {
            BatchName = read.Info.BatchName,
            InstrumentName = read.Info.InstrumentName,
            AcquisitionMethod = read.Info.AcquisitionMethod,
            Operator = read.Info.Operator,
            Properties = properties,
        });
        foreach (var row in read.Rows)
        {
            sink.OnResult(row);
        }
    }

    private static Classification Classify(SourceProbe probe, ReaderContext context)
    {
        var acaml = new List<ReportSource>();
        var xml = new List<ReportSource>();
        var csv = new List<SourceFile>();
        var text = new List<ReportSource>();
        var signalFiles = new List<SourceFile>();
        var problems = new List<Diagnostic>();
        var ignored = new List<string>();
        foreach (var file in probe.Files.Where(f => !f.LooksBinary))
        {
            var path = file.File.RelativePath;
            if (AcamlDocument.Looks(file))
            {
                // A .D folder may also hold method ACAML (acq.macaml): only a document with an injection result is a report.
                var output = new ReadOutput();
                var document = ChemStationXml.Load(file.File, path, "ACAML export", context, output);
                problems.AddRange(output.Diagnostics);
                if (document is not null && AcamlDocument.HasInjectionResult(document))
                {
                    acaml.Add(new ReportSource(file.File, AcamlDocument.Kind, (c, s) => AcamlDocument.Read(document, path, c, s)));
                }
                else if (document is not null)
                {
                    ignored.Add($"{path} (ACAML without injection results)");
                }
            }
            else if (ChemStationXmlResult.Looks(file))
            {
                xml.Add(new ReportSource(file.File, ChemStationXmlResult.Kind, (c, s) => ChemStationXmlResult.Read(file.File, c, s)));
            }
            else if (ChemStationCsvReport.Looks(file))
            {
                csv.Add(file.File);
            }
            else if (ChemStationTextReport.Looks(file))
            {
                text.Add(new ReportSource(file.File, ChemStationTextReport.Kind, (c, s) => ChemStationTextReport.Read(file.File, c, s)));
            }
            else if (ChemStationCsvReport.SignalNumber(file.File.Name) is not null)
            {
                signalFiles.Add(file.File);
            }
        }

        var csvSources = csv
            .Select(f => new ReportSource(f, ChemStationCsvReport.Kind,
                (c, s) => ChemStationCsvReport.Read(f, signalFiles.Where(g => Directory(g) == Directory(f)).ToList(), c, s)))
            .ToList();
        foreach (var group in new[] { acaml, xml, csvSources, text }.Where(g => g.Count > 1))
        {
            problems.Add(new Diagnostic(DiagnosticCodes.SeveralInjections, DiagnosticSeverity.Error,
                $"the folder holds {group.Count.ToString(CultureInfo.InvariantCulture)} reports of one kind ({string.Join(", ", group.Select(g => g.File.RelativePath))}): " +
                "one .D folder holds one injection's reports, so which one is meant cannot be told",
                group[1].File.RelativePath));
        }

        var sources = acaml.Concat(xml).Concat(csvSources).Concat(text).ToList();
        return new Classification(sources, signalFiles, problems, sources.Select(s => s.File).Concat(signalFiles).ToList(), ignored);
    }

    private static string Directory(SourceFile file)
    {
        var slash = file.RelativePath.LastIndexOf('/');
        return slash < 0 ? string.Empty : file.RelativePath[..slash];
    }

    /// <summary>One report file of the folder and how to read it.</summary>
    internal sealed record ReportSource(SourceFile File, string Kind, Func<ReaderContext, IReadSink, ChemStationInjection?> Reader)
    {
        public string Name => File.RelativePath;

        public ChemStationInjection? Parse(ReaderContext context, IReadSink sink) => Reader(context, sink);
    }

    private sealed record Classification(
        List<ReportSource> Sources, List<SourceFile> SignalFiles, List<Diagnostic> Problems, List<SourceFile> All, List<string> Ignored);
}
