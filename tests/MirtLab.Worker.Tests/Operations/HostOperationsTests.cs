using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MirtLab.Core.Runs;
using MirtLab.Mqtt;
using MirtLab.Testing;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Hosting;
using MirtLab.Worker.Processing;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Tests.Operations;

/// <summary>Readiness, graceful shutdown, several instruments and alerts on MQTT, through the real host.</summary>
public sealed class HostOperationsTests
{
    [Fact]
    public async Task Ready_ReportsEachDestinationsStateAndBacklog_AndAHungProbeFailsWithinItsTimeout()
    {
        using var config = new TestConfig(j => j["Health"] = new JsonObject { ["ProbeTimeoutSeconds"] = 1 });
        var settings = config.Load();
        var app = MirtLabHost.Build(settings, SettingsLoader.BuildConfiguration(config.ConfigFile), overrides: s => s.AddSingleton<IDeliveryDestination, HungDestination>());
        await using var host = await StartAsync(app, settings);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var stopwatch = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"readiness took {stopwatch.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.False((bool)body["ready"]!);
        var hung = body["checks"]!["hung"]!;
        Assert.Equal((false, "unreachable"), ((bool)hung["ok"]!, (string?)hung["state"]));
        var lis = body["checks"]!["lis"]!;
        Assert.Equal((true, "ok", 0L, 0L), ((bool)lis["ok"]!, (string?)lis["state"], (long)lis["pending"]!, (long)lis["dead"]!));
        Assert.True((bool)body["checks"]!["store"]!["ok"]!);
    }

    [Fact]
    public async Task Ready_ForAnonymousCallers_ReportsStateWithoutErrorText_WhichStaysForSignedInUsers()
    {
        using var config = new TestConfig();
        var settings = config.Load();
        var app = MirtLabHost.Build(settings, SettingsLoader.BuildConfiguration(config.ConfigFile), overrides: s => s.AddSingleton<IDeliveryDestination, TruncatingDestination>());
        await using var host = await StartAsync(app, settings);
        app.Services.GetRequiredService<DestinationStatus>().Failed("lis", DateTimeOffset.UtcNow, TruncatingDestination.Refused);
        using var client = new Qa.QaWebClient(host.BaseAddress);

        using (var anonymous = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymous.StatusCode);
            var text = await anonymous.Content.ReadAsStringAsync();
            Assert.DoesNotContain(TruncatingDestination.PatientId, text, StringComparison.Ordinal);
            Assert.DoesNotContain("truncated", text, StringComparison.Ordinal);
            var checks = JsonNode.Parse(text)!["checks"]!;
            Assert.Equal((false, "unreachable"), ((bool)checks["truncating"]!["ok"]!, (string?)checks["truncating"]!["state"]));
            Assert.Equal((true, "failing"), ((bool)checks["lis"]!["ok"]!, (string?)checks["lis"]!["state"]));
            Assert.NotNull((string?)checks["lis"]!["failingSinceUtc"]);
            Assert.Equal(0L, (long)checks["lis"]!["pending"]!);
            Assert.All(new[] { checks["store"]!, checks["lis"]!, checks["truncating"]! }, c => Assert.False(c.AsObject().ContainsKey("error") || c.AsObject().ContainsKey("lastDeliveryError"), c.ToJsonString()));
        }

        await Qa.QaWebSecurityTests.AddUserAsync(config, "tina", QaRoles.Technician, Qa.QaTestData.TechnicianPassword);
        using (var signIn = await client.SignInAsync("tina", Qa.QaTestData.TechnicianPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using (var signedIn = await client.GetAsync("/health/ready"))
        {
            var checks = JsonNode.Parse(await signedIn.Content.ReadAsStringAsync())!["checks"]!;
            Assert.Equal(TruncatingDestination.Refused, (string?)checks["truncating"]!["error"]);
            Assert.Equal(TruncatingDestination.Refused, (string?)checks["lis"]!["lastDeliveryError"]);
        }

        var status = JsonNode.Parse(await client.GetTextAsync("/api/status"))!;
        Assert.Equal(TruncatingDestination.Refused, (string?)status["destinations"]!.AsArray().Single(d => (string?)d!["name"] == "lis")!["lastError"]);
    }

    [Fact]
    public async Task StopMidIngest_LeavesTheFileInWork_RecordsNothing_AndTheNextStartFinishesIt()
    {
        using var config = new TestConfig();
        var settings = config.Load();
        var blocking = new BlockingHistory();
        var app = MirtLabHost.Build(settings, SettingsLoader.BuildConfiguration(config.ConfigFile), overrides: s => s.AddSingleton<IRunHistory>(blocking));
        var first = await StartAsync(app, settings);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
        await blocking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The file is in hand: read, between reading and evaluating. Stop now.
        var stopwatch = Stopwatch.StartNew();
        await first.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopwatch.Elapsed}");
        Assert.True(File.Exists(Path.Combine(config.Work(), "plate.txt")), "the file in hand stays in work/");
        Assert.Empty(Directory.EnumerateFileSystemEntries(config.Inbox()));
        Assert.False(Directory.Exists(config.Quarantine()) && Directory.EnumerateFileSystemEntries(config.Quarantine()).Any(), "nothing quarantined");
        var store = new MirtLabStore(settings.StorePath, TimeProvider.System);
        Assert.Empty(await store.RecentInputsAsync(10));

        await using (var second = await RunningHost.StartAsync(config))
        {
            await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "the file finished on the next start");
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(config.Work()));
        Assert.Equal(File.ReadAllBytes(Fixtures.MirtazapinePlate), File.ReadAllBytes(Directory.EnumerateFiles(config.ArchiveRoot, "plate.txt", SearchOption.AllDirectories).Single()));
        Assert.Equal(["accepted"], (await store.RecentInputsAsync(10)).Select(i => i.Outcome));
    }

    [Fact]
    public async Task TwoInstruments_EachWithItsInboxReaderHintsCultureAndTimeZone()
    {
        var german = Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "agilent-masshunter-quant", "german-decimal-comma", "input.csv");
        using var config = new TestConfig(j =>
        {
            j["Instruments"]![0]!["Formats"] = new JsonArray("sciex-analyst-results");
            j["Instruments"]!.AsArray().Add(new JsonObject
            {
                ["Id"] = "qqq6470",
                ["Name"] = "Agilent 6470 (catecholamines)",
                ["Inbox"] = "inbox/qqq6470",
                ["Culture"] = "de-DE",
                ["TimeZone"] = "America/New_York",
                ["DefaultUnit"] = "ng/mL",
                ["Formats"] = new JsonArray("agilent-masshunter-quant"),
            });
        });
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox("tq5500"), "plate.txt"));
        File.Copy(german, Path.Combine(config.Inbox("qqq6470"), "batch.csv"));
        // Another batch of the same instrument (different bytes: the same bytes would be a duplicate of batch.csv
        // whichever inbox they land in), dropped into the LC-MS/MS inbox by mistake.
        File.WriteAllBytes(Path.Combine(config.Inbox("tq5500"), "wrong-inbox.csv"), [.. File.ReadAllBytes(german), .. "\r\n"u8]);

        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_runs") == 2, "a run from each instrument in the LIS");
        await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Quarantine("tq5500"), "wrong-inbox.csv")), "the export in the wrong inbox quarantined");

        Assert.Single(Directory.EnumerateFiles(Path.Combine(config.ArchiveRoot, "tq5500"), "plate.txt", SearchOption.AllDirectories));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(config.ArchiveRoot, "qqq6470"), "batch.csv", SearchOption.AllDirectories));
        var report = await File.ReadAllTextAsync(Path.Combine(config.Quarantine("tq5500"), "wrong-inbox.csv.error.json"));
        Assert.Contains("sciex-analyst-results", report, StringComparison.Ordinal);

        await using var lis = IngestLifecycleTests.OpenLis(config);
        var runs = (await lis.QueryAsync<(string Instrument, string Format, string Local, string Utc)>("SELECT instrument, format, acquired_local, acquired_utc FROM mirtlab_runs")).ToDictionary(r => r.Instrument);
        Assert.Equal("agilent-masshunter-quant", runs["qqq6470"].Format);
        Assert.Equal(TimeSpan.FromHours(5), Offset(runs["qqq6470"]));   // New York in November: UTC-5
        Assert.Equal(TimeSpan.FromHours(-1), Offset(runs["tq5500"]));   // Berlin in November: UTC+1
        var row = await lis.QuerySingleAsync<(double Value, string Raw)>(
            "SELECT value, raw_value FROM mirtlab_results r JOIN mirtlab_runs u ON u.run_key = r.run_key WHERE u.instrument = 'qqq6470' AND sample_name = 'P-2611-001' AND analyte_code = 'mirtazapine'");
        Assert.Equal((46.3, "46,3"), row);   // read with the instrument's German culture

        static TimeSpan Offset((string Instrument, string Format, string Local, string Utc) run) =>
            DateTimeOffset.Parse(run.Utc, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime - DateTime.Parse(run.Local, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Alerts_ArePublishedRetained_SetAndCleared_OnTheirMqttTopics()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var config = new TestConfig(j =>
        {
            EndToEndTests.EnableMqtt(j, broker.Port);
            j["Instruments"]![0]!["Silence"] = new JsonObject { ["WindowMinutes"] = 0.03, ["Days"] = new JsonArray("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), ["Hours"] = "00:00-24:00" };
            j["Alerts"] = new JsonObject { ["EvaluateIntervalSeconds"] = 0.2 };
        });
        await using var host = await RunningHost.StartAsync(config);
        var received = new List<MqttApplicationMessage>();
        await using var listener = await EndToEndTests.ListenAsync(broker, "mirtlab/v1/alerts/#", received);
        const string silence = "mirtlab/v1/alerts/mirtlab/instrument-silent/tq5500";
        const string quarantine = "mirtlab/v1/alerts/mirtlab/quarantine/tq5500";

        await Fixtures.WaitUntilAsync(() => Latest(received, silence)?["state"]?.GetValue<string>() == "set", "instrument-silent set");
        File.WriteAllText(Path.Combine(config.Inbox(), "garbage.txt"), "not an export");
        await Fixtures.WaitUntilAsync(() => Latest(received, quarantine)?["state"]?.GetValue<string>() == "set", "quarantine set");
        var set = Latest(received, quarantine)!;
        Assert.Equal(("mirtlab.alert.v1", "mirtlab", "quarantine", "tq5500", "warning"), ((string?)set["schema"], (string?)set["node"], (string?)set["kind"], (string?)set["subject"], (string?)set["severity"]));
        Assert.Contains("garbage.txt", (string?)set["message"], StringComparison.Ordinal);

        // A subscriber that comes later gets the current state of every alert, retained.
        var late = new List<MqttApplicationMessage>();
        await using var lateListener = await EndToEndTests.ListenAsync(broker, "mirtlab/v1/alerts/#", late);
        await Fixtures.WaitUntilAsync(() => Latest(late, quarantine) is not null && Latest(late, "mirtlab/v1/alerts/mirtlab/backlog/lis") is not null, "retained alert states");
        Assert.Equal("cleared", (string?)Latest(late, "mirtlab/v1/alerts/mirtlab/backlog/lis")!["state"]);
        Assert.All(late, m => Assert.True(m.Retain, m.Topic));
    }

    private static JsonNode? Latest(List<MqttApplicationMessage> received, string topic)
    {
        lock (received)
        {
            return received.LastOrDefault(m => m.Topic == topic) is { } m ? JsonNode.Parse(Encoding.UTF8.GetString(m.Payload.Span)) : null;
        }
    }

    private static async Task<StartedHost> StartAsync(Microsoft.AspNetCore.Builder.WebApplication app, MirtLabSettings settings)
    {
        await MirtLabHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new StartedHost(app);
    }

    private sealed class StartedHost(Microsoft.AspNetCore.Builder.WebApplication app) : IAsyncDisposable
    {
        public Uri BaseAddress => new(app.Urls.First());

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A destination whose probe never answers and ignores cancellation (a hung server).</summary>
    private sealed class HungDestination : IDeliveryDestination
    {
        public string Name => "hung";

        public Task DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken) => Task.CompletedTask;

        public bool IsTransient(Exception exception) => true;

        public Task ProbeAsync(CancellationToken cancellationToken) => new TaskCompletionSource().Task;
    }

    /// <summary>A destination whose probe fails the way SQL Server refuses a too long value: quoting it.</summary>
    private sealed class TruncatingDestination : IDeliveryDestination
    {
        public const string PatientId = "PID-0815-4711";

        public const string Refused = "String or binary data would be truncated in table 'mirtlab_results', column 'patient_id'. Truncated value: '" + PatientId + "'.";

        public string Name => "truncating";

        public Task DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken) => Task.CompletedTask;

        public bool IsTransient(Exception exception) => false;

        public Task ProbeAsync(CancellationToken cancellationToken) => Task.FromException(new InvalidOperationException(Refused));
    }

    /// <summary>Previous results that never come: the ingest holds the file between reading and evaluating until it is stopped.</summary>
    private sealed class BlockingHistory : IRunHistory
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "a blocking test source";

        public async Task<IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult>> FindAsync(
            IReadOnlyCollection<(string PatientId, string Analyte)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public Task<IReadOnlyDictionary<(string Analyte, decimal Level), IReadOnlyList<QcObservation>>> QcHistoryAsync(
            IReadOnlyCollection<(string Analyte, decimal Level)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken) =>
            NoHistory.Instance.QcHistoryAsync(keys, beforeUtc, cancellationToken);
    }
}
