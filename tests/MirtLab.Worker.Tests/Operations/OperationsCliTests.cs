using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using MirtLab.Worker.Cli;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Qa;

namespace MirtLab.Worker.Tests.Operations;

/// <summary><c>mirtlab status</c>, <c>config validate</c> and <c>replay</c>, and the status page and API they mirror.</summary>
public sealed class OperationsCliTests
{
    [Fact]
    public async Task Status_FromTheStore_ShowsInstrumentsDestinationsQuarantinesAndAlerts_Exit5WhileAnAlertIsSet()
    {
        using var config = new TestConfig();
        await using (var host = await RunningHost.StartAsync(config))
        {
            File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
            await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "delivered");
            File.WriteAllText(Path.Combine(config.Inbox(), "garbage.txt"), "not an export");
            await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Quarantine(), "garbage.txt")), "quarantined");
        }

        var output = new StringWriter();
        Assert.Equal(ExitCodes.AlertsSet, await StatusCommand.RunAsync(config.ConfigFile, json: true, output, new StringWriter(), TimeProvider.System, CancellationToken.None));
        var json = JsonNode.Parse(output.ToString())!;
        Assert.Equal("store", (string?)json["source"]);
        var instrument = json["instruments"]![0]!;
        Assert.Equal(("tq5500", "garbage.txt", "rejected"), ((string?)instrument["id"], (string?)instrument["lastFileName"], (string?)instrument["lastFileOutcome"]));
        Assert.Equal(1, (long)instrument["last24Hours"]!["accepted"]!);
        var lis = json["destinations"]![0]!;
        Assert.Equal(("lis", "ok", 0L), ((string?)lis["name"], (string?)lis["state"], (long)lis["pending"]!));
        Assert.Equal("garbage.txt", (string?)json["recentQuarantines"]![0]!["name"]);
        Assert.Contains(json["alerts"]!.AsArray(), a => (string?)a!["kind"] == "quarantine" && (string?)a["subject"] == "tq5500");

        var table = new StringWriter();
        Assert.Equal(ExitCodes.AlertsSet, await StatusCommand.RunAsync(config.ConfigFile, json: false, table, new StringWriter(), TimeProvider.System, CancellationToken.None));
        Assert.Contains("Instruments", table.ToString(), StringComparison.Ordinal);
        Assert.Contains("garbage.txt", table.ToString(), StringComparison.Ordinal);
        Assert.Contains("Recent quarantines", table.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusPageAndApi_NeedASignedInUser_AndShowTheSameReport()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        using var client = new Qa.QaWebClient(host.BaseAddress);
        foreach (var path in new[] { "/status", "/api/status" })
        {
            using var anonymous = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/signin", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        await host.Store.CreateUserAsync("tina", "Tina Technician", QaRoles.Technician, QaPasswords.Hash(Qa.QaTestData.TechnicianPassword), "test");
        using (var signIn = await client.SignInAsync("tina", Qa.QaTestData.TechnicianPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var page = await client.GetTextAsync("/status");
        Assert.Contains("data-instrument=\"tq5500\"", page, StringComparison.Ordinal);
        Assert.Contains("data-destination=\"lis\"", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/status\">Status</a>", page, StringComparison.Ordinal);
        var api = JsonNode.Parse(await client.GetTextAsync("/api/status"))!;
        Assert.Equal("service", (string?)api["source"]);
        Assert.Equal("tq5500", (string?)api["instruments"]![0]!["id"]);

        using var metrics = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public void ConfigValidate_ReportsEveryErrorAtOnce_NamingEachKey()
    {
        using var config = new TestConfig(j =>
        {
            j["Instruments"]![0]!["TimeZone"] = "Mars/Olympus";
            j["Instruments"]![0]!["Silence"] = new JsonObject { ["WindowMinutes"] = 60, ["Hours"] = "7-19", ["Days"] = new JsonArray("Mon", "Funday") };
            j["Telemetry"] = new JsonObject { ["OtlpEndpoint"] = "collector:4317", ["OtlpProtocol"] = "Thrift" };
            j["Alerts"] = new JsonObject { ["DiskMinFreePercent"] = 120 };
            j["Health"] = new JsonObject { ["ProbeTimeoutSeconds"] = 0 };
            j["Logging"]!["Console"]!["FormatterName"] = "xml";
        });
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadConfiguration, ConfigCommand.Validate(config.ConfigFile, json: false, new StringWriter(), error));
        var text = error.ToString();
        string[] expected =
        [
            "Setting 'Instruments:0:TimeZone' is 'Mars/Olympus'",
            "Setting 'Instruments:0:Silence:Hours' is '7-19'",
            "Setting 'Instruments:0:Silence:Days' names 'Funday'",
            "Setting 'Telemetry:OtlpEndpoint' is 'collector:4317'",
            "Setting 'Telemetry:OtlpProtocol' is 'Thrift'",
            "Setting 'Alerts:DiskMinFreePercent' is 120",
            "Setting 'Health:ProbeTimeoutSeconds' is 0",
            "Setting 'Logging:Console:FormatterName' is 'xml'",
        ];
        Assert.All(expected, e => Assert.Contains(e, text, StringComparison.Ordinal));
        Assert.Contains("8 problem(s)", text, StringComparison.Ordinal);

        var json = new StringWriter();
        Assert.Equal(ExitCodes.BadConfiguration, ConfigCommand.Validate(config.ConfigFile, json: true, json, new StringWriter()));
        Assert.Equal(8, JsonNode.Parse(json.ToString())!["errors"]!.AsArray().Count);
    }

    [Fact]
    public void ConfigValidate_OnTheShippedConfiguration_IsValid_AndShowsWhatIsInForce()
    {
        using var config = new TestConfig();
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, ConfigCommand.Validate(config.ConfigFile, json: false, output, new StringWriter()));
        Assert.Contains("valid.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("silence Mon,Tue,Wed,Thu,Fri 07:00-19:00, window 240 min", output.ToString(), StringComparison.Ordinal);
        var loaded = SettingsLoader.Load(Path.Combine(MirtLab.Testing.RepoPaths.Config, "appsettings.json"));
        Assert.Empty(loaded.Errors);
    }

    [Fact]
    public async Task Replay_AfterTheLisWasRestored_DeliversTheResultsAgain_Audited()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "delivered");

        // The LIS is restored from a backup older than the run.
        await using (var lis = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={config.LisDatabase}"))
        {
            await lis.ExecuteAsync("DELETE FROM mirtlab_result_history; DELETE FROM mirtlab_results; DELETE FROM mirtlab_runs;");
        }

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var dry = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await ReplayCommand.RunAsync(Request(config, today, dryRun: true), dry, new StringWriter(), TimeProvider.System, CancellationToken.None));
        Assert.Contains("lis: 1 delivered (queued again)", dry.ToString(), StringComparison.Ordinal);
        Assert.Contains("Dry run: nothing was changed.", dry.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await host.Store.ReadAuditAsync(), a => a.Action == "delivery.replay");

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReplayCommand.RunAsync(Request(config, today) with { Wait = TimeSpan.FromSeconds(60) }, output, error, TimeProvider.System, CancellationToken.None);
        Assert.True(exit == ExitCodes.Ok, output + "\n" + error);
        Assert.Contains("Queued 1 delivery(ies) (1 again, 0 new)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Delivered 1, waiting 0, dead letters 0.", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(Fixtures.PlatePatientResults, IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results"));

        var audit = Assert.Single(await host.Store.ReadAuditAsync(), a => a.Action == "delivery.replay");
        Assert.Equal("cli:tester", audit.Actor);
        var details = JsonNode.Parse(audit.DetailsJson)!;
        Assert.Equal("LIS restored from last night's backup", (string?)details["reason"]);
        Assert.Equal(1, (int)details["reopened"]!);
    }

    [Fact]
    public async Task Replay_ToADestinationAddedLater_CreatesItsOutboxEntries()
    {
        using var config = new TestConfig(j => j["Lis"]!["Enabled"] = false);
        await using (var host = await RunningHost.StartAsync(config))
        {
            File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
            await Fixtures.WaitUntilAsync(() => Directory.EnumerateFiles(config.ArchiveRoot, "plate.txt", SearchOption.AllDirectories).Any(), "archived with no destination");
        }

        var json = JsonNode.Parse(File.ReadAllText(config.ConfigFile))!;
        json["Lis"]!["Enabled"] = true;
        File.WriteAllText(config.ConfigFile, json.ToJsonString());
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await ReplayCommand.RunAsync(Request(config, DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), output, new StringWriter(), TimeProvider.System, CancellationToken.None));
        Assert.Contains("Queued 1 delivery(ies) (0 again, 1 new)", output.ToString(), StringComparison.Ordinal);

        await using var restarted = await RunningHost.StartAsync(config);
        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "delivered to the new destination");
    }

    [Theory]
    [InlineData(null, null, "Say what to replay")]
    [InlineData("2026-13-45", null, "--from and --to take a day")]
    [InlineData("2026-11-21T08:00:00", null, "--from and --to take a day")]
    [InlineData(null, "no-such-run", "No run with key no-such-run")]
    public async Task Replay_RefusesWhatItCannotDo_Exit2(string? from, string? runKey, string expected)
    {
        using var config = new TestConfig();
        await using (await RunningHost.StartAsync(config))
        {
        }

        var error = new StringWriter();
        var request = Request(config, from) with { RunKeys = runKey is null ? [] : [runKey] };
        Assert.Equal(ExitCodes.BadInput, await ReplayCommand.RunAsync(request, new StringWriter(), error, TimeProvider.System, CancellationToken.None));
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheOperationsVerbs_WithTheirOptions()
    {
        var (exit, stdout, _) = await CliProcessTests.RunAsync("--help");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.All(new[] { "status", "config", "replay" }, verb => Assert.Contains(verb, stdout, StringComparison.Ordinal));
        (exit, stdout, _) = await CliProcessTests.RunAsync("replay", "--help");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.All(new[] { "--from", "--to", "--instrument", "--run-key", "--destination", "--reason", "--dry-run", "--wait" }, o => Assert.Contains(o, stdout, StringComparison.Ordinal));
    }

    private static ReplayRequest Request(TestConfig config, string? from, bool dryRun = false) =>
        new(config.ConfigFile, from, null, null, [], ["lis"], "LIS restored from last night's backup", dryRun, null, "cli:tester");
}
