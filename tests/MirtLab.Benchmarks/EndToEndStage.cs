using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using MirtLab.Mqtt;
using MirtLab.Testing;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Hosting;

namespace MirtLab.Benchmarks;

/// <summary>Latencies of the end-to-end stage.</summary>
internal sealed record EndToEndResult(
    int Plates,
    double StabilitySeconds,
    double ScanIntervalSeconds,
    int ResultsPerPlate,
    IReadOnlyList<double> BeyondWindowMs,
    IReadOnlyList<double> LisBeyondWindowMs,
    IReadOnlyList<double> MqttBeyondWindowMs,
    double TargetMs)
{
    public double P50 => Percentile(BeyondWindowMs, 0.50);

    public double P99 => Percentile(BeyondWindowMs, 0.99);

    public double Max => BeyondWindowMs.Max();

    public bool Met => P99 <= TargetMs;

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// Stage 5. The real service (composed by <see cref="MirtLabHost"/>: SQLite LIS, MQTT to Mosquitto) receives plate
/// exports dropped one by one (an atomic rename into the inbox, as a finished copy appears). For each, the time from
/// the moment it could first be stable (drop + <c>Ingest:StabilitySeconds</c>) until its results are committed in
/// the LIS (polled every 2 ms; one transaction, so the count jumps at the commit) and the last of them has reached a
/// real MQTT subscriber. The stability window itself is reported separately.
/// </summary>
internal static class EndToEndStage
{
    public static async Task<EndToEndResult> RunAsync(IReadOnlyList<GeneratedExport> plates, double stabilitySeconds, Action<string> log)
    {
        log($"end to end: {plates.Count} plates, stability window {stabilitySeconds} s");
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxQueuedMessages = 0 });
        const double scanInterval = 2;
        using var config = new BenchConfig(json =>
        {
            json["Ingest"]!["StabilitySeconds"] = stabilitySeconds;
            json["Ingest"]!["ScanIntervalSeconds"] = scanInterval;
            json["Mqtt"]!["Enabled"] = true;
            json["Mqtt"]!["Port"] = broker.Port;
        });
        var settings = config.Load();
        var app = MirtLabHost.Build(settings, SettingsLoader.BuildConfiguration(config.ConfigFile));
        await MirtLabHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        try
        {
            var arrivals = new ConcurrentDictionary<string, (int Count, long LastTicks)>(StringComparer.Ordinal);
            var expected = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            await using var subscriber = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = "bench-e2e-sub", ProtocolVersion = MqttProtocolVersion.V500 });
            await subscriber.ConnectAsync();
            await subscriber.SubscribeAsync("mirtlab/v1/results/#");
            await subscriber.SubscribeAsync("mirtlab/v1/runs/#");
            using var stop = new CancellationTokenSource();
            var listening = Task.Run(async () =>
            {
                await foreach (var message in subscriber.Messages.ReadAllAsync(stop.Token))
                {
                    var now = Stopwatch.GetTimestamp();
                    var runKey = JsonValue(message.Payload.Span, "runKey"u8);
                    if (runKey is null)
                    {
                        continue;
                    }

                    if (message.Topic.StartsWith("mirtlab/v1/runs/", StringComparison.Ordinal))
                    {
                        expected[runKey] = int.Parse(JsonValue(message.Payload.Span, "patientResultCount"u8)!, CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        arrivals.AddOrUpdate(runKey, _ => (1, now), (_, a) => (a.Count + 1, now));
                    }
                }
            });

            // Wait until the LIS schema exists (the first delivery or the readiness probe creates it).
            var lisPath = Path.Combine(settings.DataRoot, "lis.db");
            var inbox = settings.Instruments.Single(i => i.Id == "tq5500").Inbox;
            var staging = Path.Combine(config.Root, "staging");
            Directory.CreateDirectory(staging);
            var beyond = new List<double>();
            var lisBeyond = new List<double>();
            var mqttBeyond = new List<double>();
            var resultsPerPlate = 0;
            await using var lis = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = lisPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
            await lis.OpenAsync();
            await using var count = lis.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM mirtlab_results WHERE run_key = $run";
            var runParameter = count.Parameters.Add(new SqliteParameter("$run", string.Empty));
            var index = 0;
            foreach (var plate in plates)
            {
                index++;
                var bytes = await File.ReadAllBytesAsync(plate.Path);
                var runKey = Convert.ToHexStringLower(SHA256.HashData(bytes))[..20];
                var staged = Path.Combine(staging, Path.GetFileName(plate.Path));
                await File.WriteAllBytesAsync(staged, bytes);
                runParameter.Value = runKey;
                File.Move(staged, Path.Combine(inbox, Path.GetFileName(plate.Path)));
                var dropped = Stopwatch.GetTimestamp();
                long? lisAt = null;
                var deadline = dropped + (Stopwatch.Frequency * (long)(30 + stabilitySeconds));
                while (true)
                {
                    if (lisAt is null && await LisHasRunAsync(count))
                    {
                        lisAt = Stopwatch.GetTimestamp();
                    }

                    if (lisAt is not null && expected.TryGetValue(runKey, out var total) && arrivals.TryGetValue(runKey, out var got) && got.Count >= total)
                    {
                        var window = stabilitySeconds * 1000;
                        var lisMs = Ms(dropped, lisAt.Value) - window;
                        var mqttMs = Ms(dropped, got.LastTicks) - window;
                        lisBeyond.Add(lisMs);
                        mqttBeyond.Add(mqttMs);
                        beyond.Add(Math.Max(lisMs, mqttMs));
                        resultsPerPlate = total;
                        break;
                    }

                    if (Stopwatch.GetTimestamp() > deadline)
                    {
                        throw new TimeoutException($"plate {index} ({plate.Path}) was not delivered within 30 s beyond the window");
                    }

                    await Task.Delay(2);
                }

                if (index % 25 == 0)
                {
                    log(string.Create(CultureInfo.InvariantCulture, $"  {index}/{plates.Count} plates, last {beyond[^1]:0.0} ms beyond the window"));
                }
            }

            await stop.CancelAsync();
            try
            {
                await listening;
            }
            catch (OperationCanceledException)
            {
            }

            return new EndToEndResult(plates.Count, stabilitySeconds, scanInterval, resultsPerPlate, beyond, lisBeyond, mqttBeyond, 50);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<bool> LisHasRunAsync(SqliteCommand count)
    {
        try
        {
            return Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException)
        {
            // The LIS tables are created by the first delivery.
            return false;
        }
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    /// <summary>The text of a top-level string or number property, found without parsing the whole document.</summary>
    private static string? JsonValue(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json);
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case System.Text.Json.JsonTokenType.StartObject or System.Text.Json.JsonTokenType.StartArray:
                    depth++;
                    break;
                case System.Text.Json.JsonTokenType.EndObject or System.Text.Json.JsonTokenType.EndArray:
                    depth--;
                    break;
                case System.Text.Json.JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals(name):
                    reader.Read();
                    return reader.TokenType == System.Text.Json.JsonTokenType.String
                        ? reader.GetString()
                        : Encoding.UTF8.GetString(reader.ValueSpan);
            }
        }

        return null;
    }
}
