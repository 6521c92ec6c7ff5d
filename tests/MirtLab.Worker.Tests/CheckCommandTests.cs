using System.Text.Json.Nodes;
using MirtLab.Testing;
using MirtLab.Worker.Cli;

namespace MirtLab.Worker.Tests;

public sealed class CheckCommandTests
{
    private static readonly string Config = Path.Combine(RepoPaths.Config, "appsettings.json");

    [Fact]
    public void Check_GoodExport_PrintsTheDocumentTheIssueSpecifies_AndExitsZero()
    {
        var (exit, json) = CheckJson(Fixtures.MirtazapinePlate);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("sciex-analyst-results", (string?)json["format"]);
        Assert.Equal("accepted", (string?)json["status"]);
        // Analyst types the plate's blanks Unknown: each one taken for a blank by its name says so (ML5006), nothing else is found.
        var diagnostics = json["diagnostics"]!.AsArray();
        Assert.All(diagnostics, d => Assert.Equal(("ML5006", "warning"), ((string?)d!["code"], (string?)d["severity"])));
        Assert.Equal([29, 31, 85], diagnostics.Select(d => (int)d!["line"]!));
        var results = json["results"]!.AsArray();
        Assert.Equal(Fixtures.PlateRows, results.Count);
        foreach (var key in new[] { "sampleName", "sampleId", "sampleType", "analyte", "rawAnalyte", "value", "unit", "qualifier", "flags", "raw" })
        {
            Assert.True(results[0]!.AsObject().ContainsKey(key), key);
        }

        var high = results.Single(r => (string?)r!["sampleName"] == "P-240124 trough" && (string?)r!["analyte"] == "mirtazapine")!;
        Assert.Equal(171.0m, (decimal?)high["value"]);
        Assert.Equal("ng/mL", (string?)high["unit"]);
        Assert.Equal(["HH"], high["flags"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("preliminary", (string?)high["status"]);
        Assert.Equal("171.", (string?)high["raw"]!["text"]);
        Assert.Equal(75, (int?)high["raw"]!["line"]);
    }

    [Fact]
    public void Check_BelowLloq_IsNullValueWithQualifierAndLimit_NeverZero()
    {
        var (_, json) = CheckJson(Fixtures.MirtazapinePlate);
        var low = json["results"]!.AsArray().Single(r => (string?)r!["sampleName"] == "P-240126 trough" && (string?)r!["analyte"] == "mirtazapine")!;
        Assert.Null(low["value"]);
        Assert.Equal("<", (string?)low["qualifier"]);
        Assert.Equal(1.0m, (decimal?)low["limit"]);
        Assert.Equal("<1.0", (string?)low["display"]);

        var notDetected = json["results"]!.AsArray().Single(r => (string?)r!["sampleName"] == "P-240127 trough" && (string?)r!["analyte"] == "mirtazapine")!;
        Assert.Null(notDetected["value"]);
        Assert.Equal("not-detected", (string?)notDetected["qualifier"]);
        Assert.Equal("No Peak", (string?)notDetected["raw"]!["text"]);
    }

    [Fact]
    public void Check_Garbage_IsRejectedWithExitTwoAndALocatedDiagnostic()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("garbage.txt");
        File.WriteAllText(path, "this is not an instrument export\nat all\n");
        var (exit, json) = CheckJson(path);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("rejected", (string?)json["status"]);
        var diagnostic = json["diagnostics"]!.AsArray().Single()!;
        Assert.Equal("ML1001", (string?)diagnostic["code"]);
        Assert.Equal("error", (string?)diagnostic["severity"]);
        Assert.Equal(1, (int?)diagnostic["line"]);
        Assert.Empty(json["results"]!.AsArray());
    }

    [Fact]
    public void Check_TruncatedExport_IsRejectedAtTheLastLine()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("truncated.txt");
        var bytes = File.ReadAllBytes(Fixtures.MirtazapinePlate);
        var truncated = bytes[..(bytes.Length - 700)];
        File.WriteAllBytes(path, truncated);
        var lastLine = truncated.Count(b => b == (byte)'\n') + 1;
        var (exit, json) = CheckJson(path);
        Assert.Equal(ExitCodes.BadInput, exit);
        var diagnostic = json["diagnostics"]!.AsArray().Single(d => (string?)d!["severity"] == "error")!;
        Assert.Equal("ML2004", (string?)diagnostic["code"]);
        Assert.Equal(lastLine, (int?)diagnostic["line"]);
    }

    [Fact]
    public void Check_CultureOverride_IsUsedForNumbers()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("plate-de.txt");
        File.Copy(Fixtures.MirtazapinePlate, path);
        var (exit, json) = CheckJson(path, "--culture", "de-DE");
        // In German "46.3" is not a number (the decimal mark is a comma): rejected, never read as 463.
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(json["diagnostics"]!.AsArray(), d => (string?)d!["code"] == "ML3001");
    }

    [Fact]
    public void Check_UnknownCulture_IsAConfigurationError()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CheckCommand.Run(Fixtures.MirtazapinePlate, true, "xx-XX", null, null, Config, output, error);
        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains("--culture 'xx-XX'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Table_ShowsRunEvaluationAndHeldCounts()
    {
        var output = new StringWriter();
        var exit = CheckCommand.Run(Fixtures.MirtazapinePlate, false, null, null, null, Config, output, new StringWriter());
        Assert.Equal(ExitCodes.Ok, exit);
        var text = output.ToString();
        Assert.Contains("Mirtazapine: accepted, reportable 1.00–200 ng/mL", text, StringComparison.Ordinal);
        Assert.Contains("37 patient results (20 final, 17 held)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RealAnalystRunWithFailingLowCalibrators_SaysSo()
    {
        if (RepoPaths.SharedCorpus is not { } corpus)
        {
            Assert.Skip("../shared/corpus is not present on this machine");
            return;
        }

        var (exit, json) = CheckJson(Path.Combine(corpus, "sciex-analyst", "Sample_Run1.txt"));
        Assert.Equal(ExitCodes.Ok, exit);
        var analyte = json["run"]!["analytes"]!.AsArray().Single()!;
        Assert.Equal("rejected", (string?)analyte["outcome"]);
        var failing = analyte["checks"]!.AsArray().Where(c => (string?)c!["outcome"] == "fail").Select(c => (string?)c!["id"]).ToList();
        Assert.Contains("calibration.accuracy", failing);
        Assert.Contains("qc.level", failing);
    }

    internal static (int Exit, JsonObject Json) CheckJson(string path, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string? culture = extra.Length == 2 && extra[0] == "--culture" ? extra[1] : null;
        var exit = CheckCommand.Run(path, true, culture, null, null, Config, output, error);
        Assert.True(output.ToString().Length > 0, error.ToString());
        return (exit, JsonNode.Parse(output.ToString())!.AsObject());
    }
}
