using System.Text.Json.Nodes;
using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Tests;

public sealed class SettingsLoaderTests
{
    [Fact]
    public void ShippedConfiguration_LoadsAndResolvesPathsUnderTheDataRoot()
    {
        var result = SettingsLoader.Load(Path.Combine(MirtLab.Testing.RepoPaths.Config, "appsettings.json"));
        Assert.Empty(result.Errors);
        var settings = result.Settings!;
        Assert.Equal(Path.Combine(MirtLab.Testing.RepoPaths.Root, "data"), settings.DataRoot);
        Assert.Equal(Path.Combine(settings.DataRoot, "inbox", "tq5500"), settings.Instruments[0].Inbox);
        Assert.Equal("Europe/Berlin", settings.Instruments[0].TimeZone.Id);
        Assert.Contains(Path.Combine(settings.DataRoot, "lis.db"), settings.LisConnectionString, StringComparison.Ordinal);
        Assert.Equal(["lis", "mqtt"], settings.Destinations);
    }

    [Theory]
    [InlineData("TimeZone", "Mars/Olympus", "Setting 'Instruments:0:TimeZone' is 'Mars/Olympus', which is not a time zone this machine knows")]
    [InlineData("Culture", "xx-YY", "Setting 'Instruments:0:Culture' is 'xx-YY', which is not a culture this machine knows")]
    [InlineData("Id", "TQ 5500", "Setting 'Instruments:0:Id' is 'TQ 5500'")]
    [InlineData("DefaultUnit", "ng/dL", "Setting 'Instruments:0:DefaultUnit' is 'ng/dL'")]
    [InlineData("Inbox", "work", "Setting 'Instruments:0:Inbox'")]
    public void BadInstrumentSetting_IsOneSentenceNamingTheKey(string key, string value, string expected)
    {
        using var config = new TestConfig(j => j["Instruments"]![0]![key] = value);
        var result = SettingsLoader.Load(config.ConfigFile);
        Assert.Null(result.Settings);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.EndsWith(".", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspelledKey_IsReportedWithItsSection()
    {
        using var config = new TestConfig(j => j["Ingest"]!["StabilitySecnds"] = 3);
        var error = Assert.Single(SettingsLoader.Load(config.ConfigFile).Errors);
        Assert.Contains("Section 'Ingest'", error, StringComparison.Ordinal);
        Assert.Contains("StabilitySecnds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownSection_IsReported()
    {
        using var config = new TestConfig(j => j["Mqqt"] = new JsonObject { ["Port"] = 1883 });
        Assert.Contains(SettingsLoader.Load(config.ConfigFile).Errors, e => e.StartsWith("Section 'Mqqt' is not a MirtLab setting", StringComparison.Ordinal));
    }

    [Fact]
    public void SeveralProblems_AreAllReportedAtOnce()
    {
        using var config = new TestConfig(j =>
        {
            j["Mqtt"]!["Enabled"] = true;
            j["Mqtt"]!["Port"] = 70000;
            j["Mqtt"]!["TopicPrefix"] = "mirtlab/#";
            j["Ingest"]!["StabilitySeconds"] = -1;
            j["Lis"]!["Provider"] = "Oracle";
        });
        var errors = SettingsLoader.Load(config.ConfigFile).Errors;
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Setting 'Mqtt:Port' is 70000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Setting 'Mqtt:TopicPrefix'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Setting 'Ingest:StabilitySeconds' is -1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Setting 'Lis:Provider' is 'Oracle'", StringComparison.Ordinal));
    }

    [Fact]
    public void BrokenRuleSet_StopsTheServiceWithTheRuleSetsOwnMessage()
    {
        using var config = new TestConfig();
        File.WriteAllText(Path.Combine(config.ConfigFolder, "rules.json"), """{ "version": "x", "analytes": [ { "code": "mirtazapine", "name": "Mirtazapine", "unit": "nmol/L" } ] }""");
        var error = Assert.Single(SettingsLoader.Load(config.ConfigFile).Errors);
        Assert.StartsWith("Rule set 'rules.json', analytes[0] (mirtazapine).molarMass", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoInstrumentsSharingAnInbox_AreRefused()
    {
        using var config = new TestConfig(j => j["Instruments"]!.AsArray().Add(new JsonObject { ["Id"] = "hplc1", ["Inbox"] = "inbox/tq5500" }));
        Assert.Contains(SettingsLoader.Load(config.ConfigFile).Errors, e => e.Contains("same folder as instrument 'tq5500'", StringComparison.Ordinal));
    }

    [Fact]
    public void AVariableWithoutSectionSeparators_IsRefusedWithTheFormThatWorks_ButTheConfigFileAndTestSuiteVariablesAreNotSettings()
    {
        using var config = new TestConfig();
        var typo = SettingsLoader.Load(config.ConfigFile, [new("LIS_PROVIDER", "PostgreSql")]);
        var error = Assert.Single(typo.Errors);
        Assert.Contains("'LIS_PROVIDER' is not a MirtLab setting", error, StringComparison.Ordinal);
        Assert.Contains("MIRTLAB_Lis__Provider, not MIRTLAB_LIS_PROVIDER", error, StringComparison.Ordinal);

        Assert.Empty(SettingsLoader.Load(config.ConfigFile, [new("CONFIG", config.ConfigFile), new("TEST_SQLSERVER", "Server=db;Database=lis")]).Errors);
    }

    [Fact]
    public void SecretsFromTheEnvironment_OverrideTheFile()
    {
        using var config = new TestConfig(j =>
        {
            j["Mqtt"]!["Username"] = "mirtlab";
        });
        var result = SettingsLoader.Load(config.ConfigFile, [new("Mqtt:Password", "from-environment")]);
        Assert.Equal("from-environment", result.Settings!.Mqtt.Password);
    }
}
