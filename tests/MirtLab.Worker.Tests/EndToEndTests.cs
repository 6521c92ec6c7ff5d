using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using MirtLab.Mqtt;
using MirtLab.Testing;

namespace MirtLab.Worker.Tests;

/// <summary>
/// The whole path with the real parts: a dropped Analyst export becomes rows in the LIS database and one
/// MQTT message per patient result, received by a real subscriber on a real Mosquitto broker.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task DroppedExport_ReachesTheLisAndAnIndependentMqttSubscriber_OneMessagePerResult()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var config = new TestConfig(j => EnableMqtt(j, broker.Port));
        await using var host = await RunningHost.StartAsync(config);
        await using var subscriber = await MosquittoCommandLine.SubscribeAsync(broker, "mirtlab/v1/results/#", count: Fixtures.PlatePatientResults, arguments: ["-F", "%t %p"]);

        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
        var lines = await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var messages = lines.Select(l => (Topic: l[..l.IndexOf(' ', StringComparison.Ordinal)], Json: JsonNode.Parse(l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..])!)).ToList();
        Assert.Equal(Fixtures.PlatePatientResults, messages.Count);
        Assert.Equal(12, messages.Count(m => m.Topic == "mirtlab/v1/results/tq5500/mirtazapine"));
        Assert.Equal(12, messages.Count(m => m.Topic == "mirtlab/v1/results/tq5500/n-desmethylmirtazapine"));
        Assert.Equal(9, messages.Count(m => m.Topic == "mirtlab/v1/results/tq5500/mirtazapine-metabolic-ratio"));
        Assert.Equal(4, messages.Count(m => m.Topic == "mirtlab/v1/results/tq5500/mirtazapine-cd-ratio"));
        Assert.All(messages, m => Assert.Equal("mirtlab.result.v2", (string?)m.Json["schema"]));
        var keys = messages.Select(m => (string)m.Json["resultKey"]!).ToList();
        Assert.Equal(Fixtures.PlatePatientResults, keys.Distinct(StringComparer.Ordinal).Count());

        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "LIS rows");
        await using var lis = IngestLifecycleTests.OpenLis(config);
        var lisKeys = (await lis.QueryAsync<string>("SELECT result_key FROM mirtlab_results")).ToHashSet(StringComparer.Ordinal);
        Assert.True(lisKeys.SetEquals(keys), "the LIS and MQTT carry the same result keys");

        var alert = messages.Single(m => (string?)m.Json["sampleName"] == "P-240124 trough" && (string?)m.Json["analyte"] == "mirtazapine").Json;
        Assert.Equal(171.0m, (decimal?)alert["value"]);
        Assert.Equal("ng/mL", (string?)alert["unit"]);
        Assert.Equal("HH", (string?)alert["flags"]![0]);
        Assert.Equal("range:mirtazapine.alert.agnp2017", (string?)alert["flagDetails"]![0]!["rule"]);
        Assert.Equal("preliminary", (string?)alert["status"]);
        Assert.Equal("P-240124", (string?)alert["patientId"]);
        Assert.Contains(alert["comments"]!.AsArray(), c => (string?)c!["rule"] == "mirtazapine.study2026.adverse-effects");
    }

    [Fact]
    public async Task SameExportDroppedAgain_PublishesNothingNew()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var config = new TestConfig(j => EnableMqtt(j, broker.Port));
        await using var host = await RunningHost.StartAsync(config);
        var received = new List<MqttApplicationMessage>();
        await using var listener = await ListenAsync(broker, "mirtlab/v1/#", received);

        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
        await Fixtures.WaitUntilAsync(() => Count(received, "mirtlab/v1/results/") == Fixtures.PlatePatientResults && Count(received, "mirtlab/v1/runs/") == 1, "first delivery on MQTT");

        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate-again.txt"));
        await Fixtures.WaitUntilAsync(() => Directory.EnumerateFiles(config.ArchiveRoot, "plate-again.txt", SearchOption.AllDirectories).Any(), "duplicate archived");
        File.WriteAllText(Path.Combine(config.Inbox(), "marker-garbage.txt"), "not an export");
        await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Quarantine(), "marker-garbage.txt")), "a later file processed");

        Assert.Equal(Fixtures.PlatePatientResults, Count(received, "mirtlab/v1/results/"));
        Assert.Equal(1, Count(received, "mirtlab/v1/runs/"));
    }

    [Fact]
    public async Task BrokerDown_ResultsWaitInTheOutbox_AndArriveWhenItComesUp()
    {
        // Start and stop a broker first: the fixture restarts it on the same port later.
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        var port = broker.Port;
        using var config = new TestConfig(j =>
        {
            EnableMqtt(j, port);
            j["Delivery"]!["RetryMinSeconds"] = 0.2;
            j["Delivery"]!["RetryMaxSeconds"] = 1;
        });
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));

        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "the LIS is not held up by the broker");
        await Fixtures.WaitUntilAsync(() => host.Store.BacklogAsync().GetAwaiter().GetResult().Single(b => b.Destination == "mqtt").LastError is not null, "a first failed MQTT attempt recorded");
        var backlog = await host.Store.BacklogAsync();
        var mqtt = backlog.Single(b => b.Destination == "mqtt");
        Assert.Equal(1, mqtt.Pending);
        Assert.Contains("not connected", mqtt.LastError, StringComparison.Ordinal);
        using (var http = new HttpClient { BaseAddress = host.BaseAddress })
        {
            var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            Assert.False((bool)body["checks"]!["mqtt"]!["ok"]!);
            Assert.True((bool)body["checks"]!["lis"]!["ok"]!);
        }

        await broker.RestartAsync();
        await using var subscriber = await MosquittoCommandLine.SubscribeAsync(broker, "mirtlab/v1/results/#", count: Fixtures.PlatePatientResults);
        var lines = await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Fixtures.PlatePatientResults, lines.Count);
        await Fixtures.WaitUntilAsync(() => host.Store.BacklogAsync().GetAwaiter().GetResult().Single(b => b.Destination == "mqtt").Pending == 0, "outbox drained");
    }

    [Fact]
    public async Task StatusTopic_IsRetainedOnline_WhileTheServiceRuns()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var config = new TestConfig(j => EnableMqtt(j, broker.Port));
        await using (var host = await RunningHost.StartAsync(config))
        {
            var received = new List<MqttApplicationMessage>();
            await Fixtures.WaitUntilAsync(() => host.App.Services.GetService(typeof(Delivery.MqttConnectionService)) is Delivery.MqttConnectionService s && s.Client.IsConnected, "connected");
            await using var listener = await ListenAsync(broker, "mirtlab/v1/status/#", received);
            await Fixtures.WaitUntilAsync(() => received.Count > 0, "retained status");
            var status = JsonNode.Parse(Encoding.UTF8.GetString(received[0].Payload.Span))!;
            Assert.Equal("online", (string?)status["state"]);
        }

        var after = new List<MqttApplicationMessage>();
        await using var late = await ListenAsync(broker, "mirtlab/v1/status/#", after);
        await Fixtures.WaitUntilAsync(() => after.Count > 0, "retained status after stop");
        Assert.Equal("offline", (string?)JsonNode.Parse(Encoding.UTF8.GetString(after[^1].Payload.Span))!["state"]);
    }

    internal static void EnableMqtt(JsonObject config, int port)
    {
        config["Mqtt"]!["Enabled"] = true;
        config["Mqtt"]!["Port"] = port;
        config["Mqtt"]!["ClientId"] = "mirtlab-test-" + Guid.NewGuid().ToString("N")[..8];
    }

    private static int Count(List<MqttApplicationMessage> received, string prefix)
    {
        lock (received)
        {
            return received.Count(m => m.Topic.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    /// <summary>A subscriber built on MirtLab's own client, collecting everything it receives.</summary>
    internal static async Task<IAsyncDisposable> ListenAsync(MosquittoBroker broker, string filter, List<MqttApplicationMessage> into)
    {
        var client = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = "listener-" + Guid.NewGuid().ToString("N")[..8] });
        await client.ConnectAsync();
        await client.SubscribeAsync(filter);
        var pump = Task.Run(async () =>
        {
            await foreach (var message in client.Messages.ReadAllAsync())
            {
                lock (into)
                {
                    into.Add(message);
                }
            }
        });
        return new Listener(client, pump);
    }

    private sealed class Listener(MqttClient client, Task pump) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            await Task.WhenAny(pump, Task.Delay(2000));
        }
    }
}
