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
    public void DelimitedMappingReader_UnitColumnConflictingWithTheValueHeadersUnit_IsALocatedError()
    {
        var output = Read(Mapping(), "Probe,Analyt,Ergebnis (ng/mL),Einheit\r\nP-1,Mirtazapin,\"46,3\",ng/mL\r\nP-2,Mirtazapin,\"46,3\",pg/mL\r\n"u8.ToArray());

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticCodes.ConflictingUnit, 3, 4), (error.Code, error.Line, error.Column));
        Assert.Contains("unit 'pg/mL' disagrees with the unit 'ng/mL' in the value column's header 'Ergebnis (ng/mL)'", error.Message, StringComparison.Ordinal);
        Assert.Equal("P-1", Assert.Single(output.Results).SampleName);
    }

    [Theory]
    [InlineData("ng/mL")]
    [InlineData("ng/ml")]
    [InlineData("ug/L")]
    public void DelimitedMappingReader_UnitColumnAgreeingWithTheValueHeadersUnit_IsRead(string unit)
    {
        var output = Read(Mapping(), Encoding.UTF8.GetBytes($"Probe,Analyt,Ergebnis (ng/mL),Einheit\r\nP-1,Mirtazapin,\"46,3\",{unit}\r\n"));

        Assert.Empty(output.Diagnostics);
        var row = Assert.Single(output.Results);
        Assert.Equal((46.3m, unit), (row.Value.Number!.Value, row.RawUnit));
    }

    [Theory]
    [InlineData("pg/mL", "Ergebnis (ng/mL)", false)]
    [InlineData("ng/mL", "Ergebnis (nmol/L)", false)]
    [InlineData("ng/mL", "Ergebnis (ng/ml)", true)]
    [InlineData("ng/mL", "Ergebnis", true)]
    public void DelimitedMappingReader_FixedUnitAgainstTheValueHeadersUnit_ConflictIsAnErrorAtTheHeader(string fixedUnit, string valueHeader, bool read)
    {
        var mapping = DelimitedMappingLoader.Load(Encoding.UTF8.GetBytes($$"""
            { "name": "lims", "culture": "de-DE", "fixedUnit": "{{fixedUnit}}", "columns": { "sampleName": "Probe", "analyte": "Analyt", "value": "Ergebnis" } }
            """), "lims.json").Mapping!;

        var output = Read(mapping, Encoding.UTF8.GetBytes($"Probe,Analyt,{valueHeader}\r\nP-1,Mirtazapin,\"46,3\"\r\n"));

        if (read)
        {
            Assert.Empty(output.Diagnostics);
            var row = Assert.Single(output.Results);
            Assert.Equal((46.3m, fixedUnit), (row.Value.Number!.Value, row.RawUnit));
        }
        else
        {
            var error = Assert.Single(output.Diagnostics);
            Assert.Equal((DiagnosticCodes.ConflictingUnit, 1, 3), (error.Code, error.Line, error.Column));
            Assert.Contains($"fixes the unit to '{fixedUnit}' but the value column's header '{valueHeader}'", error.Message, StringComparison.Ordinal);
            Assert.Empty(output.Results);
        }
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
