using System.Diagnostics;
using System.Text.Json.Nodes;
using MirtLab.Testing;
using MirtLab.Worker.Cli;
using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Tests;

/// <summary>The real <c>mirtlab</c> executable, as lab IT and validation staff run it.</summary>
public sealed class CliProcessTests
{
    [Fact]
    public async Task CheckJson_GoodExport_ExitsZeroWithOneJsonDocument()
    {
        var (exit, stdout, _) = await RunAsync("check", Fixtures.MirtazapinePlate, "--json");
        Assert.Equal(ExitCodes.Ok, exit);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("accepted", (string?)json["status"]);
        Assert.Equal(Fixtures.PlateRows, json["results"]!.AsArray().Count);
    }

    [Fact]
    public async Task CheckJson_BadInput_ExitsTwo()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("empty.txt");
        await File.WriteAllBytesAsync(path, []);
        var (exit, stdout, _) = await RunAsync("check", path, "--json");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("ML1002", (string?)JsonNode.Parse(stdout)!["diagnostics"]![0]!["code"]);
    }

    [Fact]
    public async Task Service_WithABadSetting_RefusesToStartNamingTheKey()
    {
        using var config = new TestConfig(j => j["Instruments"]![0]!["TimeZone"] = "Mars/Olympus");
        var (exit, _, stderr) = await RunAsync("--config", config.ConfigFile);
        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains("MirtLab cannot start:", stderr, StringComparison.Ordinal);
        Assert.Contains("Setting 'Instruments:0:TimeZone' is 'Mars/Olympus'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotnetRun_FromTheRepositoryRoot_AsTheReadmeDoes_UsesTheRepositoryConfigAndResolvesPathsFromThere()
    {
        // The README's commands are typed at the repository root: config/appsettings.json and data/ there, and a
        // relative path given to `check` means the same file the technician sees (the Web SDK would otherwise
        // start the program in src/MirtLab.Worker).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var relative = Path.GetRelativePath(RepoPaths.Root, Fixtures.MirtazapinePlate);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "run", "--project", "src/MirtLab.Worker", "--no-build", "-c", configuration, "--", "check", relative, "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == ExitCodes.Ok, await stderr);
        var json = JsonNode.Parse(await stdout)!;
        Assert.Equal(Fixtures.MirtazapinePlate, (string?)json["file"]);
        Assert.Equal("accepted", (string?)json["status"]);
    }

    [Fact]
    public async Task ConfigFileNamedByTheEnvironment_AsTheInstallScriptAndContainerDo_IsUsed()
    {
        // deploy/linux/install.sh's wrapper and the container image set MIRTLAB_CONFIG; the variable shares the
        // settings' prefix but is not a setting.
        using var config = new TestConfig(j => j["Node"]!["Name"] = "from-mirtlab-config");
        var (exit, stdout, stderr) = await RunAsync(new Dictionary<string, string> { [SettingsLoader.ConfigVariable] = config.ConfigFile }, "config", "validate");
        Assert.True(exit == ExitCodes.Ok, stderr + stdout);
        Assert.Contains(config.ConfigFile + ": valid.", stdout, StringComparison.Ordinal);
        Assert.Contains("Node:         from-mirtlab-config", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheVerbs()
    {
        var (exit, stdout, _) = await RunAsync("--help");
        Assert.Equal(0, exit);
        Assert.Contains("check", stdout, StringComparison.Ordinal);
        Assert.Contains("--config", stdout, StringComparison.Ordinal);
    }

    /// <summary>Runs mirtlab.dll (built beside the tests) from the repository root, as the README does.</summary>
    internal static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), arguments);

    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mirtlab.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

public sealed class RulesCommandTests
{
    private static readonly string Config = Path.Combine(RepoPaths.Config, "appsettings.json");

    [Fact]
    public void Rules_ShowsTheVersionRangesAndComments_InForce()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, RulesCommand.Run(false, Config, output, new StringWriter()));
        var text = output.ToString();
        Assert.Matches(@"^Rule set 2026-11-21\.2\+[0-9a-f]{12}", text);
        Assert.Contains("therapeutic 30-80 ng/mL [mirtazapine.therapeutic.agnp2017]", text, StringComparison.Ordinal);
        Assert.Contains("alert above 160 ng/mL [mirtazapine.alert.agnp2017]", text, StringComparison.Ordinal);
        Assert.Contains("reference 0.2-1.2 [mirtazapine.metabolic-ratio.agnp2017]", text, StringComparison.Ordinal);
        Assert.Contains("[mirtazapine.study2026.remission] mirtazapine, value < 52.6", text, StringComparison.Ordinal);
        Assert.Contains("mirtazapine-d3 — Mirtazapine-d3 (internal standard, never reported)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_ShowsTheLabsCalibrationModelsAndQcTargets_WhenConfigured()
    {
        using var config = new TestConfig();
        var rulesFile = Path.Combine(config.ConfigFolder, "rules.json");
        var rules = File.ReadAllText(rulesFile)
            .Replace("\"calibrationModels\": [],", "\"calibrationModels\": [ { \"analyte\": \"mirtazapine\", \"fit\": \"linear\", \"weighting\": \"1/x2\", \"source\": \"VAL-2026-03\" } ],", StringComparison.Ordinal)
            .Replace("\"qcTargets\": [],", "\"qcTargets\": [ { \"analyte\": \"mirtazapine\", \"level\": 40, \"mean\": 40.6, \"sd\": 1.9, \"source\": \"lab data 2026-10, n=20\" } ],", StringComparison.Ordinal);
        File.WriteAllText(rulesFile, rules);

        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, RulesCommand.Run(false, config.ConfigFile, output, new StringWriter()));
        var text = output.ToString();
        Assert.Contains("calibration model of mirtazapine: linear, weighting 1/x2 — VAL-2026-03", text, StringComparison.Ordinal);
        Assert.Contains("QC target mirtazapine level 40: mean 40.6, SD 1.9 — lab data 2026-10, n=20", text, StringComparison.Ordinal);
        Assert.Contains("Westgard rules 1-2s, 1-3s, 2-2s, R-4s, 4-1s, 10-x", text, StringComparison.Ordinal);

        var json = new StringWriter();
        Assert.Equal(ExitCodes.Ok, RulesCommand.Run(true, config.ConfigFile, json, new StringWriter()));
        var target = JsonNode.Parse(json.ToString())!["qcTargets"]![0]!;
        Assert.Equal(1.9m, (decimal)target["sd"]!);
    }

    [Fact]
    public void RulesJson_IsOneDocumentWithTheSameVersionFlagsCarry()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, RulesCommand.Run(true, Config, output, new StringWriter()));
        var json = JsonNode.Parse(output.ToString())!;
        var (_, check) = CheckCommandTests.CheckJson(Fixtures.MirtazapinePlate);
        Assert.Equal((string?)check["configVersion"], (string?)json["version"]);
        Assert.Contains(json["analytes"]!.AsArray(), a => (string?)a!["code"] == "norepinephrine" && (string?)a["unit"] == "pg/mL");
    }
}
