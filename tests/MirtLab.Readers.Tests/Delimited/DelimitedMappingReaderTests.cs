using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Delimited;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Delimited;

public sealed class DelimitedMappingReaderTests
{
    private static DelimitedMapping Mapping(string extra = "") =>
        DelimitedMappingLoader.Load(Encoding.UTF8.GetBytes($$"""
            { "name": "lims", "columns": { "sampleName": "Probe", "analyte": "Analyt", "value": "Ergebnis", "unit": "Einheit" }, "culture": "de-DE" {{extra}} }
            """), "lims.json").Mapping ?? throw new InvalidOperationException("the test mapping does not load");

    private static int Probe(DelimitedMapping mapping, byte[] bytes) =>
        new DelimitedMappingReader(mapping).Probe(SourceProbe.Create(ReadSource.FromBytes("export.csv", bytes)));

    private static ReadOutput Read(DelimitedMapping mapping, byte[] bytes)
    {
        var output = new ReadOutput();
        new DelimitedMappingReader(mapping).Read(ReadSource.FromBytes("export.csv", bytes), ReaderContext.Default(), output);
        return output;
    }

    [Fact]
    public void DelimitedMappingReader_HeaderWithTheMappedColumns_ScoresBelowTheVendorSignatures()
    {
        var bytes = "Probe,Analyt,Ergebnis,Einheit\r\nP-1,Mirtazapin,\"46,3\",ng/mL\r\n"u8.ToArray();

        Assert.Equal(DelimitedMappingReader.HeaderScore, Probe(Mapping(), bytes));
        Assert.Equal(0, Probe(Mapping(""", "signature": { "firstLinePrefix": "Laborexport" }"""), bytes));
        Assert.Equal(0, Probe(Mapping(""", "signature": { "requiredColumns": [ "Auftragsnr." ] }"""), bytes));
        Assert.Equal(DelimitedMappingReader.PrefixAndHeaderScore, Probe(Mapping(""", "signature": { "firstLinePrefix": "Probe," }"""), bytes));
        Assert.True(DelimitedMappingReader.PrefixAndHeaderScore < 90);
    }

    [Fact]
    public void DelimitedMappingReader_Windows1252Mapping_RecognisesAndReadsUmlautHeaders()
    {
        var mapping = DelimitedMappingLoader.Load("""
            { "name": "lims", "encoding": "windows-1252", "delimiter": ";", "culture": "de-DE", "fixedUnit": "ng/mL",
              "columns": { "sampleName": "Probe", "analyte": "Prüfgröße", "value": "Ergebnis" } }
            """u8.ToArray(), "lims.json").Mapping!;
        var bytes = TextCp1252("Probe;Prüfgröße;Ergebnis\r\nP-1;Mirtazapin;46,3\r\n");

        Assert.Equal(DelimitedMappingReader.HeaderScore, Probe(mapping, bytes));
        var row = Assert.Single(Read(mapping, bytes).Results);
        Assert.Equal(("Mirtazapin", 46.3m, "ng/mL"), (row.RawAnalyte, row.Value.Number!.Value, row.RawUnit));
    }

    [Fact]
    public void DelimitedMappingReader_Utf8MappingOnWindows1252Bytes_IsAnErrorNotAMisreading()
    {
        var output = Read(Mapping(""", "encoding": "utf-8" """), TextCp1252("Probe,Analyt,Ergebnis,Einheit\r\nJürgens,Mirtazapin,\"46,3\",ng/mL\r\n"));

        Assert.Equal(DiagnosticCodes.UndecodableText, Assert.Single(output.Diagnostics).Code);
        Assert.Empty(output.Results);
    }

    [Fact]
    public void DelimitedMappingReader_ByteOrderMarkContradictingTheMapping_IsAnError()
    {
        var output = Read(Mapping(""", "encoding": "windows-1252" """), [0xEF, 0xBB, 0xBF, .. "Probe,Analyt,Ergebnis,Einheit\r\nP-1,Mirtazapin,1,ng/mL\r\n"u8]);

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal(DiagnosticCodes.UndecodableText, error.Code);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void DelimitedMappingReader_Utf16File_IsReadWhenTheMappingSaysUtf16()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Probe,Analyt,Ergebnis,Einheit\r\nP-1,Dopamin,\"6,2\",ng/mL\r\n")).ToArray();
        var mapping = Mapping(""", "encoding": "utf-16" """);

        Assert.Equal(DelimitedMappingReader.HeaderScore, Probe(mapping, bytes));
        Assert.Equal(6.2m, Assert.Single(Read(mapping, bytes).Results).Value.Number);
    }

    [Fact]
    public void DelimitedMappingReader_EmptyUnitCellBesideANumber_LeavesTheUnitUnknown()
    {
        var row = Assert.Single(Read(Mapping(), "Probe,Analyt,Ergebnis,Einheit\r\nP-1,Mirtazapin,\"46,3\",\r\n"u8.ToArray()).Results);

        Assert.Null(row.RawUnit);
        Assert.Equal(46.3m, row.Value.Number);
    }

    [Fact]
    public void FormatDetector_OpenLabCustomReportWithoutAMapping_IsNotClaimedByABuiltInReader()
    {
        var input = Golden.Input(Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Delimited", "Golden", "openlab-cds2-custom"));

        var detection = new FormatDetector(ReaderRegistry.BuiltIn()).Detect(ReadSource.FromFile(input));

        Assert.Null(detection.Reader);
        Assert.Equal(DiagnosticCodes.UnknownFormat, detection.Problem!.Code);
    }

    [Fact]
    public void DelimitedMappingReader_MappingCulture_OverridesTheInstrumentCulture()
    {
        var output = new ReadOutput();
        new DelimitedMappingReader(Mapping()).Read(
            ReadSource.FromBytes("export.csv", "Probe,Analyt,Ergebnis,Einheit\r\nP-1,Mirtazapin,\"46,3\",ng/mL\r\n"u8.ToArray()),
            new ReaderContext { InstrumentId = "x", Culture = CultureInfo.GetCultureInfo("en-US") },
            output);

        Assert.Equal(46.3m, Assert.Single(output.Results).Value.Number);
    }

    private static byte[] TextCp1252(string text) => Readers.Text.TextDecoder.Windows1252.GetBytes(text);
}
