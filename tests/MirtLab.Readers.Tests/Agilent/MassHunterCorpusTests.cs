using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Agilent;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Agilent;

/// <summary>
/// Runs every real MassHunter export in <c>../shared/corpus/agilent-masshunter</c> through format detection and
/// the reader it picks: each must be recognised and read to its last row without errors, except the deliberately
/// corrupt one, which is rejected with a located diagnostic. Most carry peak data only (no concentration column:
/// the other labs' lipidomics exports); their rows are read with no value and one warning, ML2021, says so.
/// Skips (and says so) when the corpus is not there.
/// </summary>
public sealed class MassHunterCorpusTests
{
    private const string Quant = MassHunterQuantReader.Id;
    private const string CompoundTable = MassHunterCompoundTableReader.Id;
    private const string Block = MassHunterBlockReportReader.Id;

    /// <summary>File, exporting PC's culture, expected reader, expected rows, whether the export has concentrations.</summary>
    public static TheoryData<string, string, string, int, bool> Readable => new()
    {
        { "6_Testdata_MHQuant_DefaultSampleInfo_RT-Areas-FWHM-NoOutlierSum.csv", "en-US", Quant, 65 * 16, false },
        { "9_Testdata_MHQuant_withQuantMethods_withQualifierMethResults.csv", "en-US", Quant, 65 * 8, false },
        { "12_Testdata_MHQuant_DefaultSampleInfo_RT-Areas-FWHM-withQuantMsg.csv", "en-US", Quant, 65 * 16, false },
        { "13_Testdata_MHQuant_CompoundTable_DefaultSampleInfo_RT-Areas-FWHM.csv", "en-US", CompoundTable, 8 * 27, false },
        { "17_Testdata_Lipidomics_GermanSystem.csv", "de-DE", Quant, 10 * 292, false },
        { "CompoundTableForm.csv", "en-GB", CompoundTable, 6100, false },
        { "ISO_8859_1_Encoding.csv", "en-US", Quant, 207 * 8, false },
        { "QuantLCMS_Example_MassHunter.csv", "en-GB", Quant, 25 * 8, false },
        { "WideTableForm.csv", "en-US", Quant, 41 * 30, false },
        { "masshunter_quant_block_report.csv", "en-US", Block, 2 * 220, true },
    };

    private static string? Folder => RepoPaths.SharedCorpus is { } corpus ? Path.Combine(corpus, "agilent-masshunter") : null;

    [Theory]
    [MemberData(nameof(Readable))]
    public void MassHunterCorpusFile_IsRecognisedAndReadToTheEnd_WithoutErrors(string file, string culture, string format, int rows, bool hasConcentrations)
    {
        var output = Read(file, culture);

        Assert.Equal(format, output.FormatId);
        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics.Where(d => d.IsError)));
        Assert.Equal(!hasConcentrations, output.Diagnostics.Any(d => d.Code == DiagnosticCodes.NoConcentrationColumn && d.Severity == DiagnosticSeverity.Warning));

        Assert.Equal(rows, output.Results.Count);
        Assert.All(output.Results, r => Assert.False(string.IsNullOrWhiteSpace(r.SampleName)));
    }

    [Fact]
    public void MassHunterCorpus_RowAreaDeletedFile_IsRejectedAtTheMissingColumnNameRow()
    {
        var output = Read("14_Testdata_MHQuant_Corrupt_RowAreaDeleted.csv", "en-US");

        Assert.Equal(Quant, output.FormatId);
        Assert.Empty(output.Results);
        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.MissingSubHeaderRow, error.Code);
        Assert.Equal(2, error.Line);
        Assert.Equal(3, error.Column);
        Assert.Contains("line 1 mixes group labels with column names ('Name' at column 3)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Upstream, file 15 starts with an empty line before the group row (the "extra top line"); the corpus copy
    /// lost that line and is then byte for byte file 9 with 24-hour times. Either way it must not be read into
    /// other numbers: with the extra line it is rejected at line 1, without it it reads exactly as file 9.
    /// </summary>
    [Fact]
    public void MassHunterCorpus_ExtraTopLineFile_IsRejectedWithTheLineOrReadsExactlyAsItsOriginal()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder ?? SkipNoCorpus(), "15_Testdata_MHQuant_Corrupt_ExtraTopLine.csv"));
        var withExtraLine = bytes[0] is (byte)'\r' or (byte)'\n' ? bytes : [.. "\r\n"u8, .. bytes];

        var rejected = ReadBytes(withExtraLine, "en-US");
        var error = Assert.Single(rejected.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.UnexpectedLeadingLine, error.Code);
        Assert.Equal(1, error.Line);
        Assert.Empty(rejected.Results);

        if (withExtraLine != bytes)
        {
            var copy = ReadBytes(bytes, "en-US");
            var original = Read("9_Testdata_MHQuant_withQuantMethods_withQualifierMethResults.csv", "en-US");
            Assert.False(copy.HasErrors);
            Assert.Equal(
                original.Results.Select(r => (r.SampleName, r.RawAnalyte, r.Area, r.RetentionTime, r.Value, r.AcquiredLocal)),
                copy.Results.Select(r => (r.SampleName, r.RawAnalyte, r.Area, r.RetentionTime, r.Value, r.AcquiredLocal)));
        }
    }

    [Fact]
    public void MassHunterCorpus_GermanFile_ReadsQuotedDecimalCommas()
    {
        var output = Read("17_Testdata_Lipidomics_GermanSystem.csv", "de-DE");

        var first = output.Results[0];
        Assert.Equal("BLK", first.SampleName);
        Assert.Equal(9.754, first.RetentionTime);
        Assert.Equal(392095d, first.Area);
        Assert.True(first.IsInternalStandard);
        Assert.Equal(new DateTime(2022, 6, 27, 11, 1, 0), first.AcquiredLocal);
    }

    [Fact]
    public void MassHunterCorpus_Cp1252File_DecodesNames()
    {
        var output = Read("ISO_8859_1_Encoding.csv", "en-US");

        Assert.Contains(output.Results, r => r.SampleName == "033_SPL_S013_Bösiger 0");
        Assert.Contains(output.Diagnostics, d => d.Code == DiagnosticCodes.MissingSampleTypeColumn);
    }

    [Fact]
    public void MassHunterCorpus_QuantitationMessageRows_BelongToTheFollowingSample()
    {
        var output = Read("12_Testdata_MHQuant_DefaultSampleInfo_RT-Areas-FWHM-withQuantMsg.csv", "en-US");

        var first = output.Results.Where(r => r.Source.Line == 4).ToList();
        Assert.All(first, r => Assert.Equal("006_EBLK_Extracted Blank+ISTD01", r.SampleName));
        Assert.Equal(71d, first.Single(r => r.RawAnalyte == "S1P d16:1 [M>113]").Area);
        var flagged = first.Single(r => r.RawAnalyte == "S1P d20:1 [M>113]");
        Assert.Contains("MassHunter quantitation message: S1P d20:1 [M>113]: The retention times of all integrated peak groups lie outside the compound's identification time range.", flagged.VendorFlags);
        Assert.DoesNotContain(first.Single(r => r.RawAnalyte == "S1P d20:1 [M>60]").VendorFlags, f => f.Contains("quantitation message", StringComparison.Ordinal));

        var last = output.Results.Where(r => r.SampleName == "206_EBLK_Extracted Blank+ISTD03").ToList();
        Assert.Equal(16, last.Count);
        Assert.Contains(last.Single(r => r.RawAnalyte == "S1P d19:1 [M>113]").VendorFlags, f => f.StartsWith("MassHunter quantitation message: S1P d19:1 [M>113]:", StringComparison.Ordinal));
        Assert.Contains(last.Single(r => r.RawAnalyte == "S1P d18:2 [M>60]").VendorFlags, f => f.StartsWith("MassHunter quantitation message: S1P d18:2 [M>60]:", StringComparison.Ordinal));
    }

    [Fact]
    public void MassHunterCorpus_BlockReport_TakesSampleNamesAndTypesFromTheSequenceTable()
    {
        var output = Read("masshunter_quant_block_report.csv", "en-US");

        var cal = output.Results.First(r => r.SampleName == "LS_Cal_L5" && r.RawAnalyte == "25-OH D3+PTAD+MA");
        Assert.Equal(Core.Results.SampleType.Standard, cal.SampleType);
        Assert.Equal("5", cal.Level);
        Assert.Equal(40.7238m, cal.Value.Number);
        Assert.Equal(31.25m, cal.Nominal);
        Assert.Equal(130.32m, cal.VendorAccuracy);
        Assert.Equal("25-OH D3d3+PTAD+MA", cal.InternalStandard);
        Assert.Equal("130129LS.batch.bin", output.RunInfo.BatchName);
    }

    private static ReadOutput Read(string file, string culture) =>
        ReadBytes(File.ReadAllBytes(Path.Combine(Folder ?? SkipNoCorpus(), file)), culture);

    private static ReadOutput ReadBytes(byte[] bytes, string culture)
    {
        var source = ReadSource.FromBytes("export.csv", bytes);
        var context = new ReaderContext { InstrumentId = "corpus", Culture = CultureInfo.GetCultureInfo(culture), DefaultUnit = "ng/mL" };
        var detection = new FormatDetector(ReaderRegistry.BuiltIn()).Detect(source);
        var output = new ReadOutput { FormatId = detection.Reader?.FormatId };
        if (detection.Reader is null)
        {
            output.OnDiagnostic(detection.Problem!);
            return output;
        }

        detection.Reader.Read(source, context, output);
        return output;
    }

    private static string SkipNoCorpus()
    {
        Assert.Skip("../shared/corpus is not beside this checkout; the MassHunter corpus tests did not run");
        return string.Empty;
    }
}
