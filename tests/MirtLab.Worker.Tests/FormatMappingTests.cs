using MirtLab.Testing;
using MirtLab.Worker.Cli;
using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Tests;

/// <summary>A delimited-export mapping is configuration only: a file in config/formats, and the service reads that export.</summary>
public sealed class FormatMappingTests
{
    private static readonly string Case = Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Delimited", "Golden", "openlab-cds2-custom");

    [Fact]
    public void MappingFile_InConfigFormats_BecomesAReaderTheServiceUses()
    {
        using var config = new TestConfig();
        Directory.CreateDirectory(Path.Combine(config.ConfigFolder, "formats"));
        File.Copy(Path.Combine(RepoPaths.Config, "formats", "openlab-cds2-custom.example.json"), Path.Combine(config.ConfigFolder, "formats", "openlab.json"));

        var settings = config.Load();
        Assert.Contains(settings.Readers, r => r.FormatId == "delimited:openlab-cds2-custom");

        var output = new StringWriter();
        var exit = CheckCommand.Run(Path.Combine(Case, "input.csv"), true, null, null, null, config.ConfigFile, output, new StringWriter());
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("\"format\": \"delimited:openlab-cds2-custom\"", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleMappings_AreNotLoaded()
    {
        using var config = new TestConfig();
        Directory.CreateDirectory(Path.Combine(config.ConfigFolder, "formats"));
        File.Copy(Path.Combine(RepoPaths.Config, "formats", "openlab-cds2-custom.example.json"), Path.Combine(config.ConfigFolder, "formats", "openlab-cds2-custom.example.json"));
        Assert.DoesNotContain(config.Load().Readers, r => r.FormatId.StartsWith("delimited:", StringComparison.Ordinal));
    }

    [Fact]
    public void BrokenMapping_StopsTheServiceNamingTheFileAndKey()
    {
        using var config = new TestConfig();
        Directory.CreateDirectory(Path.Combine(config.ConfigFolder, "formats"));
        File.WriteAllText(Path.Combine(config.ConfigFolder, "formats", "lims.json"), """{ "name": "lims", "delimiter": ";", "columns": { "sampleName": "Probe" } }""");
        var errors = SettingsLoader.Load(config.ConfigFile).Errors;
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("Format mapping lims.json", e, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("columns.analyte", StringComparison.Ordinal));
    }

    [Fact]
    public void InstrumentHint_MayNameAMappedFormat()
    {
        using var config = new TestConfig(j => j["Instruments"]![0]!["Formats"] = new System.Text.Json.Nodes.JsonArray("delimited:openlab-cds2-custom"));
        Directory.CreateDirectory(Path.Combine(config.ConfigFolder, "formats"));
        File.Copy(Path.Combine(RepoPaths.Config, "formats", "openlab-cds2-custom.example.json"), Path.Combine(config.ConfigFolder, "formats", "openlab.json"));
        Assert.Empty(SettingsLoader.Load(config.ConfigFile).Errors);
    }
}
