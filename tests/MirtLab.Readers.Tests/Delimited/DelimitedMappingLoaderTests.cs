using System.Globalization;
using System.Text;
using MirtLab.Core.Results;
using MirtLab.Readers.Delimited;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Delimited;

public sealed class DelimitedMappingLoaderTests
{
    private const string Minimal = """
        {
          "name": "lims-export",
          "columns": { "sampleName": "Probe", "analyte": "Analyt", "value": "Ergebnis" }
        }
        """;

    private static DelimitedMappingLoadResult Load(string json) => DelimitedMappingLoader.Load(Encoding.UTF8.GetBytes(json), "lims.json");

    [Fact]
    public void DelimitedMappingLoader_MinimalMapping_TakesTheDefaults()
    {
        var result = Load(Minimal);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var mapping = result.Mapping!;
        Assert.Equal("delimited:lims-export", mapping.FormatId);
        Assert.Equal(',', mapping.Delimiter);
        Assert.Equal(DelimitedEncoding.Auto, mapping.Encoding);
        Assert.Null(mapping.Culture);
        Assert.Equal(1, mapping.HeaderRow);
        Assert.Null(mapping.SampleTypeColumn);
        Assert.Empty(mapping.MissingValues);
    }

    [Fact]
    public void DelimitedMappingLoader_ExampleOpenLabMapping_LoadsWithoutErrors()
    {
        var path = Path.Combine(RepoPaths.Config, "formats", "openlab-cds2-custom.example.json");

        var result = DelimitedMappingLoader.Load(File.ReadAllBytes(path), "openlab-cds2-custom.example.json");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var mapping = result.Mapping!;
        Assert.Equal("delimited:openlab-cds2-custom", mapping.FormatId);
        Assert.Equal(CultureInfo.GetCultureInfo("en-US"), mapping.Culture);
        Assert.Equal("Amount Unit", mapping.UnitColumn);
        Assert.Equal(SampleType.QualityControl, mapping.SampleTypes["control"]);
        Assert.Contains("modelled", mapping.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void DelimitedMappingLoader_FullMapping_ReadsEveryKey()
    {
        var result = Load("""
            {
              // comments and trailing commas are allowed, as in rules.json
              "name": "lims-export",
              "description": "LIMS export",
              "signature": { "firstLinePrefix": "Laborexport", "requiredColumns": [ "Auftragsnr." ] },
              "delimiter": "tab",
              "encoding": "windows-1252",
              "culture": "de-DE",
              "headerRow": 3,
              "columns": { "sampleName": "Probe", "sampleId": "Auftragsnr.", "sampleType": "Probenart", "analyte": "Analyt",
                           "value": "Ergebnis", "nominal": "Sollwert", "date": "Messzeit" },
              "fixedUnit": "ng/ml",
              "dateFormats": [ "dd.MM.yyyy HH:mm" ],
              "sampleTypes": { "Kalibrator": "standard", "Kontrolle": "qc", "Leerwert": "blank", "Doppelleerwert": "double-blank" },
              "missingValues": [ "n.b.", " --- " ],
            }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var m = result.Mapping!;
        Assert.Equal('\t', m.Delimiter);
        Assert.Equal(DelimitedEncoding.Windows1252, m.Encoding);
        Assert.Equal("de-DE", m.Culture!.Name);
        Assert.Equal(3, m.HeaderRow);
        Assert.Equal("Laborexport", m.FirstLinePrefix);
        Assert.Equal(["Auftragsnr."], m.RequiredColumns);
        Assert.Equal("ng/ml", m.FixedUnit);
        Assert.Equal(SampleType.DoubleBlank, m.SampleTypes["DOPPELLEERWERT"]);
        Assert.Equal(["dd.MM.yyyy HH:mm"], m.DateFormats);
        Assert.True(m.MissingValues.SetEquals(["n.b.", "---"]));
    }

    [Fact]
    public void DelimitedMappingLoader_EveryProblem_IsReportedAtOnceNamingItsKey()
    {
        var result = Load("""
            {
              "name": "LIMS Export",
              "delimter": ";",
              "delimiter": ";;",
              "encoding": "latin-1",
              "culture": "xx-NOPE",
              "headerRow": 0,
              "signature": { "requiredColumns": [ "" ], "prefix": "x" },
              "columns": { "sampleName": "Probe", "analyte": "Probe", "Value": "Ergebnis", "unit": "Einheit" },
              "fixedUnit": "ng/mL",
              "dateFormats": [ "dd.MM.yyyy" ],
              "sampleTypes": { "Kalibrator": "calibrator" },
              "missingValues": [ 0 ]
            }
            """);

        Assert.False(result.Succeeded);
        Assert.Null(result.Mapping);
        string[] expected =
        [
            "lims.json: delimter: unknown key",
            "lims.json: name: 'LIMS Export' must be lower-case letters",
            "lims.json: signature.prefix: unknown key",
            "lims.json: signature.requiredColumns[0]: expected a non-empty string",
            "lims.json: delimiter: ';;' must be one character",
            "lims.json: encoding: 'latin-1' is not one of auto, utf-8, utf-16, windows-1252",
            "lims.json: culture: 'xx-NOPE' is not a culture",
            "lims.json: headerRow: 0 must be a whole number from 1 to 1000",
            "lims.json: columns.Value: unknown key; did you mean 'value'?",
            "lims.json: columns.analyte: column 'Probe' is already mapped as columns.sampleName",
            "lims.json: columns.value: required",
            "lims.json: fixedUnit: give either columns.unit",
            "lims.json: dateFormats: date formats are given but columns.date names no date column",
            "lims.json: sampleTypes: a sample-type map is given but columns.sampleType names no column",
            "lims.json: sampleTypes.Kalibrator: \"calibrator\" is not a MirtLab sample type (unknown, standard, qc, blank, double-blank, solvent, sst)",
            "lims.json: missingValues[0]: expected a non-empty string, not 0",
        ];
        foreach (var message in expected)
        {
            Assert.Contains(result.Errors, e => e.StartsWith(message, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, result.Errors.Count);
    }

    [Theory]
    [InlineData("""{ "name": "x" }""", "lims.json: columns: required")]
    [InlineData("""{ "name": "x", "columns": { "sampleName": "A", "analyte": "B", "value": "  " } }""", "lims.json: columns.value: must not be empty")]
    [InlineData("""{ "name": "x", "columns": { "sampleName": "A", "analyte": "B", "value": 5 } }""", "lims.json: columns.value: expected a string, not a number")]
    [InlineData("""{ "columns": { "sampleName": "A", "analyte": "B", "value": "C" } }""", "lims.json: name: required")]
    [InlineData("""{ "name": "x", "columns": { "sampleName": "A", "analyte": "B", "value": "C" }, "fixedUnit": "mg/dl" }""", "lims.json: fixedUnit: 'mg/dl' is not a concentration unit MirtLab knows")]
    [InlineData("""{ "name": "x", "columns": { "sampleName": "A", "analyte": "B", "value": "C", "date": "D" }, "dateFormats": [ "dd.MM.yyyy 'HH" ] }""", "lims.json: dateFormats[0]: 'dd.MM.yyyy 'HH' is not a .NET custom date format")]
    [InlineData("""{ "name": "x", "columns": { "sampleName": "A", "analyte": "B", "value": "C" }, "delimiter": "\"" }""", "lims.json: delimiter: '\"' must be one character")]
    [InlineData("""{ "name": "x", "columns": { "sampleName": "A", "analyte": "B", "value": "C" }, "headerRow": 2.5 }""", "lims.json: headerRow: 2.5 must be a whole number")]
    [InlineData("""[ 1, 2 ]""", "lims.json: $: a mapping is a JSON object, not an array")]
    [InlineData("""{ "name": "x", """, "lims.json: $: the file is not valid JSON")]
    public void DelimitedMappingLoader_InvalidMapping_NamesTheKey(string json, string expected)
    {
        var result = Load(json);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DelimitedMappingLoader_SampleTypeWordMappedTwiceIgnoringCase_IsAnError()
    {
        var result = Load("""
            { "name": "x", "columns": { "sampleName": "A", "sampleType": "T", "analyte": "B", "value": "C" },
              "sampleTypes": { "Kontrolle": "qc", "KONTROLLE": "qc" } }
            """);

        Assert.Equal(["lims.json: sampleTypes.KONTROLLE: the word is mapped twice (words are compared ignoring case)"], result.Errors);
    }

    [Fact]
    public void ReaderRegistry_TwoMappingsWithOneName_AreRefused()
    {
        var mapping = Load(Minimal).Mapping!;

        var ex = Assert.Throws<ArgumentException>(() => ReaderRegistry.Create([mapping, mapping]));

        Assert.Contains("'lims-export'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReaderRegistry_Create_AddsOneReaderPerMappingAfterTheBuiltInOnes()
    {
        var mapping = Load(Minimal).Mapping!;

        var readers = ReaderRegistry.Create([mapping]);

        Assert.Equal(ReaderRegistry.BuiltIn().Select(r => r.FormatId).Append("delimited:lims-export"), readers.Select(r => r.FormatId));
    }
}
