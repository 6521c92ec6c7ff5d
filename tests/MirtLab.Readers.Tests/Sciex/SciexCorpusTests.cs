using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Readers.Sciex;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Sciex;

/// <summary>
/// The real SCIEX exports in ../shared/corpus (other labs' compounds): each is recognised by content as its format
/// and read without an internal error. Skipped, and saying so, where the corpus is not beside the checkout.
/// </summary>
public sealed class SciexCorpusTests
{
    [Theory]
    [InlineData("sciex-analyst/Sample_Run1.txt", 50)]
    [InlineData("sciex-analyst/Sample_Run2.txt", 50)]
    public void SciexCorpus_AnalystResultsTable_IsRecognisedAndReadWithoutErrors(string path, int rows)
    {
        var output = Read(path, out var format);

        Assert.Equal(SciexAnalystResultsReader.Id, format);
        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics));
        Assert.Equal(rows, output.Results.Count);
        Assert.Single(output.RunInfo.Calibrations);
        Assert.All(output.Results, r => Assert.Equal("Itraconazole", r.RawAnalyte));
    }

    [Fact]
    public void SciexCorpus_MultiQuantPeakDataExport_IsRecognisedAndRead_EveryRowWithoutAValue()
    {
        var output = Read("sciex-multiquant/SciExTestData.txt", out var format);

        Assert.Equal(SciexMultiQuantResultsReader.Id, format);
        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics.Where(d => d.IsError)));
        var warning = Assert.Single(output.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal((DiagnosticCodes.NoConcentrationColumn, 1), (warning.Code, warning.Line));
        var summary = Assert.Single(output.Diagnostics, d => d.Severity == DiagnosticSeverity.Info);
        Assert.Contains("read 13664 rows (61 samples × 224 components)", summary.Message, StringComparison.Ordinal);
        Assert.Equal(13664, output.Results.Count);
        Assert.All(output.Results, r => Assert.Null(r.Value.Number));
    }

    [Fact]
    public void SciexCorpus_SciexOsExcerpt_IsRecognisedAndReadWithFlagsAndNoValueKeptAsNoValue()
    {
        var output = Read("sciex-os/241031_test_data_core.excerpt.txt", out var format);

        Assert.Equal(SciexOsResultsReader.Id, format);
        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics));
        Assert.Equal(2, output.Results.Count);

        var notFound = output.Results[0];
        Assert.Equal("PFPrA_TOF MS", notFound.RawAnalyte);
        Assert.Equal(SampleType.Standard, notFound.SampleType);
        Assert.Equal(ValueKind.NoValue, notFound.Value.Kind);
        Assert.Null(notFound.Area);
        Assert.Equal(0m, notFound.Nominal);
        Assert.Equal(["SCIEX OS: outlier reasons: Accuracy", "SCIEX OS: Accuracy Acceptance Fail"], notFound.VendorFlags);

        var found = output.Results[1];
        Assert.Equal("PFHxA", found.RawAnalyte);
        Assert.Equal(0.013790739m, found.Value.Number);
        Assert.Equal("IDA-13C5_PFHxA", found.InternalStandard);
        Assert.Equal(0.676415731, found.IonRatio);
        Assert.Equal(new DateTime(2023, 10, 26, 12, 14, 0, DateTimeKind.Unspecified), found.AcquiredLocal);
        Assert.Contains("SCIEX OS: outlier reasons: Accuracy, Integration Quality, Total Width", found.VendorFlags);
        Assert.Contains("SCIEX OS: Integration Acceptance Fail", found.VendorFlags);
        Assert.Contains("SCIEX OS: peak integration modified by hand (Modified TRUE)", found.VendorFlags);
    }

    [Fact]
    public void SciexCorpus_EveryFileInTheSciexFolders_IsRecognisedAsASciexFormatWithoutInternalError()
    {
        var corpus = Corpus();
        var files = Directory.EnumerateDirectories(corpus, "sciex-*")
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var output = Read(Path.GetRelativePath(corpus, file), out var format);
            Assert.True(format is SciexAnalystResultsReader.Id or SciexMultiQuantResultsReader.Id or SciexOsResultsReader.Id, $"{file}: detected as {format ?? "nothing"}");
            Assert.DoesNotContain(output.Diagnostics, d => d.Code == DiagnosticCodes.ReaderFailure);
        }
    }

    [Fact]
    public void SciexProbes_AgilentCorpusFilesAndFolders_ScoreZero()
    {
        var corpus = Corpus();
        IInstrumentReader[] readers = [new SciexAnalystResultsReader(), new SciexMultiQuantResultsReader(), new SciexOsResultsReader()];
        var sources = Directory.EnumerateDirectories(corpus, "agilent-*")
            .SelectMany(d => Directory.EnumerateFileSystemEntries(d))
            .Order(StringComparer.Ordinal)
            .Select(ReadSource.FromPath)
            .ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var probe = SourceProbe.Create(source);
            foreach (var reader in readers)
            {
                Assert.True(reader.Probe(probe) == 0, $"{reader.FormatId} claims {source.Name}");
            }
        }
    }

    private static ReadOutput Read(string relativePath, out string? format)
    {
        var source = ReadSource.FromPath(Path.Combine(Corpus(), relativePath));
        var detection = new FormatDetector(ReaderRegistry.BuiltIn()).Detect(source);
        format = detection.Reader?.FormatId;
        var output = new ReadOutput { FormatId = format };
        if (detection.Reader is null)
        {
            output.OnDiagnostic(detection.Problem!);
            return output;
        }

        try
        {
            detection.Reader.Read(source, ReaderContext.Default("corpus"), output);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            output.OnDiagnostic(new Diagnostic(DiagnosticCodes.ReaderFailure, DiagnosticSeverity.Error, $"{ex.GetType().Name}: {ex.Message}"));
        }

        return output;
    }

    private static string Corpus()
    {
        var corpus = RepoPaths.SharedCorpus;
        Assert.SkipWhen(corpus is null, "../shared/corpus is not beside this checkout: the SCIEX corpus tests did not run");
        return corpus!;
    }
}
