using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using MirtLab.Mqtt;
using MirtLab.Readers;
using MirtLab.Readers.Text;
using MirtLab.Testing;
using MirtLab.Worker.Ingest;
using MirtLab.Worker.Processing;
using Npgsql;

namespace MirtLab.Worker.Tests.FaultInjection;

/// <summary>
/// The worst day: while hundreds of exports are dropped, the MirtLab process is SIGKILLed, the MQTT broker stopped
/// and the LIS database stopped or SIGKILLed, at seeded random moments, and everything is restarted. Afterwards
/// every result of every accepted file must be in the LIS exactly once and have reached a real MQTT subscriber at
/// least once with its stable key; no file lost, none half-published. The counts are printed, and written to
/// TestResults/fault-injection.txt (tests/run.sh shows it). MIRTLAB_TEST_FAULT_FILES and MIRTLAB_TEST_FAULT_SEED scale and
/// vary the run.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HundredsOfFiles_DozensOfInjectedFailures_NothingLost_NothingDuplicated()
    {
        var files = int.TryParse(Environment.GetEnvironmentVariable("MIRTLAB_TEST_FAULT_FILES"), CultureInfo.InvariantCulture, out var f) ? f : 200;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MIRTLAB_TEST_FAULT_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261121;
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();

        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true, MaxQueuedMessages = 100_000 });
        await using var postgres = await PostgresServer.StartNewAsync();
        var lis = await postgres.CreateDatabaseAsync();
        using var config = new TestConfig(j =>
        {
            EndToEndTests.EnableMqtt(j, broker.Port);
            j["Lis"]!["Provider"] = "PostgreSql";
            j["Lis"]!["ConnectionString"] = lis;
            j["Ingest"]!["StabilitySeconds"] = 0.2;
            j["Ingest"]!["ScanIntervalSeconds"] = 0.2;
            j["Delivery"]!["RetryMinSeconds"] = 0.2;
            j["Delivery"]!["RetryMaxSeconds"] = 1;
            j["Mqtt"]!["ReconnectMaxSeconds"] = 1;
        });

        // What must arrive: every patient result key of every file, computed by the same processor offline.
        var staging = Path.Combine(config.DataRoot, "..", "staging");
        Directory.CreateDirectory(staging);
        var expected = await WriteExportsAsync(config, staging, files);
        var expectedKeys = expected.Values.SelectMany(k => k).ToHashSet(StringComparer.Ordinal);

        var received = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await using var subscriber = await SubscribeAsync(broker, received);

        using var mirtlab = new MirtLabProcess(config.ConfigFile);
        mirtlab.Start();
        var faults = new Dictionary<string, int>(StringComparer.Ordinal) { ["mirtlab SIGKILL"] = 0, ["broker stop"] = 0, ["database stop"] = 0, ["database SIGKILL"] = 0 };
        Directory.CreateDirectory(config.Inbox());
        var dropper = Task.Run(async () =>
        {
            foreach (var name in expected.Keys)
            {
                File.Copy(Path.Combine(staging, name), Path.Combine(config.Inbox(), name));
                await Task.Delay(random.Next(120, 220));
            }
        });

        // Faults while the files arrive (and until two dozen were injected); each part comes back after a short outage.
        while (!dropper.IsCompleted || faults.Values.Sum() < 24)
        {
            await Task.Delay(random.Next(300, 900));
            switch (random.Next(4))
            {
                case 0:
                    mirtlab.Kill();
                    faults["mirtlab SIGKILL"]++;
                    await Task.Delay(random.Next(200, 800));
                    mirtlab.Start();
                    break;
                case 1:
                    await broker.StopAsync();
                    faults["broker stop"]++;
                    await Task.Delay(random.Next(300, 1500));
                    await broker.RestartAsync();
                    break;
                case 2:
                    await postgres.StopAsync();
                    faults["database stop"]++;
                    await Task.Delay(random.Next(300, 1500));
                    await postgres.StartAsync();
                    break;
                default:
                    await postgres.KillAsync();
                    faults["database SIGKILL"]++;
                    await Task.Delay(random.Next(300, 1500));
                    await postgres.StartAsync();
                    break;
            }
        }

        await dropper;
        var injected = faults.Values.Sum();
        var dropped = stopwatch.Elapsed;
        var store = new Store.MirtLabStore(config.Load().StorePath, TimeProvider.System);
        using var progress = new CancellationTokenSource();
        var progressLines = new ConcurrentBag<string>();
        var sampler = Task.Run(async () =>
        {
            while (!progress.IsCancellationRequested)
            {
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{stopwatch.Elapsed.TotalSeconds,5:0}s inbox {Directory.EnumerateFileSystemEntries(config.Inbox()).Count(),3} work {Directory.EnumerateFileSystemEntries(config.Work()).Count(),2} archived {Directory.EnumerateFiles(config.ArchiveRoot, "*", SearchOption.AllDirectories).Count(),3} LIS {LisKeys(lis).Count,5} MQTT {received.Count,5}");
                output.WriteLine(line);
                progressLines.Add(line);
                await Task.Delay(5000);
            }
        });
        try
        {
            // Settled: every result delivered, and every file at its final place with the store told so (a SIGKILL
            // between the commit and the move leaves the file in work until the restarted service finishes it).
            await Fixtures.WaitUntilAsync(
                () => LisKeys(lis).Count == expectedKeys.Count && expectedKeys.All(received.ContainsKey)
                    && !Directory.EnumerateFileSystemEntries(config.Inbox()).Any() && !Directory.EnumerateFileSystemEntries(config.Work()).Any()
                    && store.UnfinalizedAsync().GetAwaiter().GetResult().Count == 0,
                "every result in the LIS and on MQTT, every file archived",
                seconds: 180);
        }
        catch (TimeoutException)
        {
            output.WriteLine(mirtlab.LogTail);
            throw;
        }
        finally
        {
            await progress.CancelAsync();
            await sampler;
        }

        // The proof.
        var lisKeys = LisKeys(lis);
        var lisRows = await CountAsync(lis, "SELECT COUNT(*) FROM mirtlab_results");
        Assert.Equal(expectedKeys.Count, lisRows);
        Assert.True(lisKeys.SetEquals(expectedKeys), "the LIS holds exactly the expected results");
        Assert.All(expectedKeys, k => Assert.True(received.ContainsKey(k), $"result {k} never reached the MQTT subscriber"));
        var archived = Directory.EnumerateFiles(config.ArchiveRoot, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), archived.Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(config.Inbox()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(config.Work()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(config.Quarantine()));
        var inputs = await store.RecentInputsAsync(files * 2);
        Assert.Equal(files, inputs.Count(i => i.Outcome == "accepted"));
        Assert.DoesNotContain(inputs, i => i.Outcome != "accepted");
        Assert.All(inputs, i => Assert.NotNull(i.FinalizedUtc));
        Assert.True(MirtLab.Core.Audit.AuditChain.Verify(await store.ReadAuditAsync()).IsIntact);
        Assert.True(injected >= 24, $"only {injected} faults were injected");

        var summary = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Fault injection (seed {seed}, {stopwatch.Elapsed.TotalSeconds:0} s, of which {(stopwatch.Elapsed - dropped).TotalSeconds:0} s to catch up after the last fault):")
            .AppendLine(CultureInfo.InvariantCulture, $"  files dropped {files}, accepted {inputs.Count(i => i.Outcome == "accepted")}, lost 0, half-published 0, in quarantine 0")
            .AppendLine(CultureInfo.InvariantCulture, $"  LIS results expected {expectedKeys.Count}, present {lisKeys.Count}, rows {lisRows}: lost 0, duplicated {lisRows - lisKeys.Count}")
            .AppendLine(CultureInfo.InvariantCulture, $"  MQTT messages received {received.Values.Sum()} for {received.Count(kv => expectedKeys.Contains(kv.Key))} distinct results: missing 0, redelivered {received.Values.Sum() - received.Count} (at least once, de-duplicated by resultKey)")
            .AppendLine(CultureInfo.InvariantCulture, $"  injected failures {injected}: {string.Join(", ", faults.Select(kv => $"{kv.Key} {kv.Value}"))}; mirtlab started {mirtlab.Starts} times")
            .ToString();
        output.WriteLine(summary);
        var reports = Path.Combine(RepoPaths.Root, "TestResults");
        Directory.CreateDirectory(reports);
        await File.WriteAllTextAsync(Path.Combine(reports, "fault-injection.txt"), summary + "\nProgress while catching up:\n" + string.Join("\n", progressLines.Order(StringComparer.Ordinal)) + "\n");
    }

    /// <summary>Plate exports made unique by day and sample names; returns each file's expected patient result keys.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<string>>> WriteExportsAsync(TestConfig config, string folder, int count)
    {
        var settings = config.Load();
        var processor = new InputProcessor(settings.Rules, settings.Readers);
        var plate = File.ReadAllText(Fixtures.MirtazapinePlate, TextDecoder.Windows1252);
        var expected = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"plate-{i:0000}.txt");
            var day = new DateTime(2026, 1, 1).AddDays(i);
            var content = plate
                .Replace("21-Nov-2026", day.ToString("dd-MMM-yyyy", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace(" trough\t", string.Create(CultureInfo.InvariantCulture, $" trough R{i}\t"), StringComparison.Ordinal);
            var path = Path.Combine(folder, name);
            await File.WriteAllTextAsync(path, content, TextDecoder.Windows1252);
            var source = ReadSource.FromFile(path);
            var processed = await processor.ProcessAsync(source, InputHasher.Compute(source), settings.Instruments[0], NoHistory.Instance);
            Assert.False(processed.IsRejected, string.Join("\n", processed.Diagnostics));
            expected[name] = processed.Run!.PatientResults.Select(r => r.ResultKey).ToList();
        }

        return expected;
    }

    private static async Task<IAsyncDisposable> SubscribeAsync(MosquittoBroker broker, ConcurrentDictionary<string, int> received)
    {
        // A persistent session: messages published while the subscriber is cut off wait for it in the broker.
        var client = new MqttClient(new MqttClientOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            ClientId = "lis-subscriber-" + Guid.NewGuid().ToString("N")[..8],
            PersistentSession = true,
            AutoReconnect = true,
            ReconnectDelayMin = TimeSpan.FromMilliseconds(200),
            ReconnectDelayMax = TimeSpan.FromSeconds(1),
        });
        await client.ConnectAsync();
        await client.SubscribeAsync("mirtlab/v1/results/#");
        var pump = Task.Run(async () =>
        {
            await foreach (var message in client.Messages.ReadAllAsync())
            {
                var key = (string)JsonNode.Parse(message.Payload.Span)!["resultKey"]!;
                received.AddOrUpdate(key, 1, (_, n) => n + 1);
            }
        });
        return new Subscription(client, pump);
    }

    private static HashSet<string> LisKeys(string connectionString)
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            return connection.Query<string>("SELECT result_key FROM mirtlab_results").ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return [];
        }
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private sealed class Subscription(MqttClient client, Task pump) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            await Task.WhenAny(pump, Task.Delay(2000));
        }
    }
}
