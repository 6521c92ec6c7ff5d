using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Readers.Agilent;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Agilent;

/// <summary>
/// Runs every real ChemStation export in <c>../shared/corpus/agilent-chemstation</c> through format detection and the
/// reader it picks: each <c>.D</c> folder whole, each report file in it on its own, and the ACAML file dropped alone.
/// None is about MirtLab's analytes, and most are area-percent reports of unnamed peaks: each is read to the end,
/// never with a reader failure or an error, and says in one precise warning why nothing (or what) in it is
/// reportable. Skips (and says so) when the corpus is not there.
/// </summary>
public sealed class ChemStationCorpusTests
{
    private const string Folder = ChemStationFolderReader.Id;

    /// <summary>Corpus path (a .D folder, or files inside one to drop as a folder of their own), expected reader, the warning that explains it, rows read.</summary>
    public static TheoryData<string, string, string, int> Readable => new()
    {
        // Area-percent reports without a compound-name column: nothing names an analyte.
        { "001F0101.D", Folder, DiagnosticCodes.NothingToReport, 0 },
        { "001F0101.D/Report00.CSV+REPORT01.CSV+REPORT02.CSV", Folder, DiagnosticCodes.NothingToReport, 0 },
        { "001F0101.D/Report.TXT", Folder, DiagnosticCodes.NothingToReport, 0 },
        { "RUTIN2.D", Folder, DiagnosticCodes.NothingToReport, 0 },
        // CH4 is calibrated on two signals (both not found): both rows are read and held for QA to choose.
        { "NV-F0101.D", Folder, DiagnosticCodes.DuplicateRow, 6 },
        { "NV-F0101.D/Report00.CSV+REPORT01.CSV+REPORT02.CSV+REPORT03.CSV", Folder, DiagnosticCodes.DuplicateRow, 6 },
        { "NV-F0101.D/Report.TXT", Folder, DiagnosticCodes.DuplicateRow, 6 },
        // Every peak unnamed (area percent): no analyte.
        { "chemstation_181.D", Folder, DiagnosticCodes.NothingToReport, 0 },
        { "chemstation_181.D/Result.xml", Folder, DiagnosticCodes.NothingToReport, 0 },
        { "LOR-RISTRETTO.D", Folder, DiagnosticCodes.NothingToReport, 0 },
        { "LOR-RISTRETTO.D/sample.acaml", AcamlExportReader.Id, DiagnosticCodes.NothingToReport, 0 },
    };

    private static string? Corpus => RepoPaths.SharedCorpus is { } corpus ? Path.Combine(corpus, "agilent-chemstation") : null;

    [Theory]
    [MemberData(nameof(Readable))]
    public void ChemStationCorpusItem_IsRecognisedAndRead_WithTheWarningThatExplainsIt(string item, string format, string warning, int rows)
    {
        var output = Read(item);

        Assert.Equal(format, output.FormatId);
        Assert.DoesNotContain(output.Diagnostics, d => d.Code == DiagnosticCodes.ReaderFailure);
        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics.Where(d => d.IsError)));
        Assert.Contains(output.Diagnostics, d => d.Code == warning && d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal(rows, output.Results.Count);
    }

    [Fact]
    public void ChemStationCorpus_NvF0101_ReadsTheNotFoundCompoundsAsNotDetectedAndTheFoundOnesWithoutValue()
    {
        var output = Read("NV-F0101.D/Report00.CSV+REPORT01.CSV+REPORT02.CSV+REPORT03.CSV");

        // CH4 (signals 1 and 3), CO, CO2 (signal 2) were not found; H2 and Ar (signal 3) were, but the report has no amounts.
        Assert.Equal(["CH4", "CO", "CH4", "CO2", "H2", "Ar"], output.Results.Select(r => r.RawAnalyte));
        Assert.All(output.Results.Where(r => r.RawAnalyte is "CH4" or "CO" or "CO2"), r => Assert.Equal(ValueKind.NotDetected, r.Value.Kind));
        Assert.All(output.Results.Where(r => r.RawAnalyte is "CH4" or "CO" or "CO2"), r => Assert.Null(r.Area));
        Assert.All(output.Results.Where(r => r.RawAnalyte is "H2" or "Ar"), r => Assert.Equal(ValueKind.NoValue, r.Value.Kind));
        Assert.Equal(1809.60595703125, output.Results.Single(r => r.RawAnalyte == "H2").Area);
        Assert.All(output.Results.Where(r => r.RawAnalyte == "CH4"), r => Assert.Contains(r.VendorFlags, f => f.Contains("quantified on two signals", StringComparison.Ordinal)));
        Assert.All(output.Results, r => Assert.Contains("ChemStation: Warning : Calibrated compound(s) not found", r.VendorFlags));
        Assert.All(output.Results, r => Assert.Equal(new DateTime(2015, 1, 13, 11, 16, 49), r.AcquiredLocal));
        Assert.Contains(output.Diagnostics, d => d.Code == DiagnosticCodes.AcquisitionTimeNote && d.Line == 11);
        Assert.Contains(output.Diagnostics, d => d.Code == DiagnosticCodes.UnidentifiedPeaksSkipped && d.Message.StartsWith("1 of 7", StringComparison.Ordinal));
        Assert.Null(output.RunInfo.Operator);
    }

    [Fact]
    public void ChemStationCorpus_NvF0101TextReport_ParsesThreeSignalsWithTheirOwnAreaUnits()
    {
        var folder = Corpus ?? SkipNoCorpus();
        var file = ReadSource.FromFile(Path.Combine(folder, "NV-F0101.D", "Report.TXT")).Files[0];

        var injection = ChemStationTextReport.Read(file, Context(), new ReadOutput());

        Assert.NotNull(injection);
        Assert.Equal("NI cat", injection.SampleName?.Text);
        Assert.Equal("13-Jan-15 11:16:49 AM", injection.InjectionDate?.Text);
        Assert.Equal(7, injection.Peaks.Count);
        Assert.Equal(["FID1 A, Front Signal", "FID2 B, Back Signal", "TCD3 C, Aux Signal"], injection.Peaks.Select(p => p.Signal).Distinct());
        Assert.Equal("C:\\Chem32\\1\\Data\\January2015\\def_GC 2015-01-13 11-16-24\\Sine14.M (Sequence Method)", injection.Properties["Analysis Method"]);
        Assert.Equal("Warning : Calibrated compound(s) not found", Assert.Single(injection.Messages).Text);
        var unidentified = Assert.Single(injection.Peaks, p => p.State == PeakState.Unidentified);
        Assert.Equal(816.84735, unidentified.Area);
    }

    [Fact]
    public void ChemStationCorpus_LorRistrettoAcaml_ReadsTheSampleAndConvertsTheUtcInjectionTime()
    {
        var folder = Corpus ?? SkipNoCorpus();
        var output = new ReadOutput();
        var document = ChemStationXml.Load(ReadSource.FromFile(Path.Combine(folder, "LOR-RISTRETTO.D", "sample.acaml")).Files[0], null, "ACAML", Context(), output);

        var injection = AcamlDocument.Read(document!, null, Context(), output);

        Assert.NotNull(injection);
        Assert.Equal("lor-ristretto", injection.SampleName?.Text);
        Assert.Equal("Sample", injection.SampleType?.Text);
        Assert.Equal(new DateTime(2023, 2, 23, 11, 26, 27), injection.AcquiredLocal);
        Assert.Equal(231, injection.Peaks.Count);
        Assert.All(injection.Peaks, p => Assert.Equal(PeakState.Unidentified, p.State));
        Assert.False(injection.HasAmounts);
    }

    private static ReadOutput Read(string item)
    {
        var folder = Corpus ?? SkipNoCorpus();
        ReadSource source;
        if (item.Contains('/', StringComparison.Ordinal) && !item.EndsWith(".acaml", StringComparison.Ordinal))
        {
            // Some files of a .D folder, dropped as a folder of their own.
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var directory = Path.Combine(folder, item[..slash]);
            var files = item[(slash + 1)..].Split('+')
                .Select(name => Path.Combine(directory, name))
                .Select(path => new SourceFile(Path.GetFileName(path), new FileInfo(path).Length, () => File.OpenRead(path)))
                .ToList();
            source = new ReadSource(item[..slash], isFolder: true, files);
        }
        else
        {
            source = ReadSource.FromPath(Path.Combine(folder, item));
        }

        var detection = new FormatDetector(ReaderRegistry.BuiltIn()).Detect(source);
        var output = new ReadOutput { FormatId = detection.Reader?.FormatId };
        if (detection.Reader is null)
        {
            output.OnDiagnostic(detection.Problem!);
            return output;
        }

        detection.Reader.Read(source, Context(), output);
        return output;
    }

    private static ReaderContext Context() => new() { InstrumentId = "corpus", Culture = CultureInfo.GetCultureInfo("en-US") };

    private static string SkipNoCorpus()
    {
        Assert.Skip("../shared/corpus is not here (a checkout without the shared folder): the ChemStation corpus tests did not run");
        return string.Empty;
    }
}
