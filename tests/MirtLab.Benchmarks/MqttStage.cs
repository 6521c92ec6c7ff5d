using System.Diagnostics;
using System.Globalization;
using MirtLab.Mqtt;
using MirtLab.Testing;

namespace MirtLab.Benchmarks;

/// <summary>
/// Stage 4. MirtLab's MQTT client publishing QoS 1 result documents (MQTT 5, content type and user properties as
/// <c>MqttDestination</c> sends them, 64 in flight) against Mosquitto's own C client <c>mosquitto_pub -l -q 1</c>
/// publishing the same payloads (one per line, the same properties' size, 64 in flight) to the same broker. Each
/// run ends when a <c>mosquitto_sub</c> subscriber (QoS 1) has received every message.
/// </summary>
internal static class MqttStage
{
    public static async Task<Comparison> RunAsync(IReadOnlyList<byte[]> documents, int messages, int runs, Action<string> log)
    {
        log($"MQTT: {messages:N0} QoS 1 messages");
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxQueuedMessages = 0, MaxInflightMessages = 100 });
        using var folder = new TempFolder("mirtlab-bench-mqtt");
        var payloads = Enumerable.Range(0, messages).Select(i => documents[i % documents.Count]).ToList();
        var lines = folder.Combine("payloads.txt");
        await using (var file = File.Create(lines))
        {
            foreach (var payload in payloads)
            {
                await file.WriteAsync(payload);
                file.WriteByte((byte)'\n');
            }
        }

        var bytes = payloads.Sum(p => (long)p.Length);
        var run = 0;
        async Task<Sample> MirtLab()
        {
            var topic = $"bench/{++run}";
            await using var subscriber = await Subscriber.StartAsync(broker, topic, messages);
            await using var client = new MqttClient(new MqttClientOptions
            {
                Host = broker.Host,
                Port = broker.Port,
                ClientId = $"bench-pub-{run}",
                ProtocolVersion = MqttProtocolVersion.V500,
                MaxInflightMessages = 64,
            });
            var stopwatch = Stopwatch.StartNew();
            await client.ConnectAsync();
            var publishes = new Task[payloads.Count];
            for (var i = 0; i < payloads.Count; i++)
            {
                publishes[i] = client.PublishAsync(new MqttApplicationMessage
                {
                    Topic = topic,
                    Payload = payloads[i],
                    QualityOfService = MqttQualityOfService.AtLeastOnce,
                    ContentType = "application/json",
                    UserProperties =
                    [
                        new MqttUserProperty("schema", "mirtlab.result.v2"),
                        new MqttUserProperty("resultKey", ResultKey(i)),
                        new MqttUserProperty("revision", "1"),
                    ],
                });
            }

            await Task.WhenAll(publishes);
            await subscriber.Completed.WaitAsync(TimeSpan.FromMinutes(3));
            stopwatch.Stop();
            await client.DisconnectAsync();
            return new Sample(stopwatch.Elapsed, messages);
        }

        async Task<Sample> MosquittoPub()
        {
            var topic = $"bench/{++run}";
            await using var subscriber = await Subscriber.StartAsync(broker, topic, messages);
            var stopwatch = Stopwatch.StartNew();
            using var publisher = Process.Start(new ProcessStartInfo("/bin/sh")
            {
                ArgumentList =
                {
                    "-c",
                    string.Create(CultureInfo.InvariantCulture,
                        $"exec mosquitto_pub -h {broker.Host} -p {broker.Port} -i bench-mosquitto-pub-{run} -V 5 -q 1 -M 64 -t '{topic}' -l " +
                        $"-D publish content-type application/json -D publish user-property schema mirtlab.result.v2 " +
                        $"-D publish user-property resultKey {ResultKey(0)} -D publish user-property revision 1 < '{lines}'"),
                },
                RedirectStandardError = true,
            })!;
            var errors = publisher.StandardError.ReadToEndAsync();
            await publisher.WaitForExitAsync();
            if (publisher.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_pub exited with {publisher.ExitCode}: {await errors}");
            }

            await subscriber.Completed.WaitAsync(TimeSpan.FromMinutes(3));
            stopwatch.Stop();
            return new Sample(stopwatch.Elapsed, messages);
        }

        var (mirtlab, ceiling) = await Harness.InterleaveAsync(runs, MirtLab, MosquittoPub, log);
        return new Comparison("4. MQTT QoS 1", $"{messages:N0} result documents, {bytes / messages:N0} B each", "messages", messages, bytes, mirtlab, ceiling,
            "MirtLab MqttClient (64 in flight)", "mosquitto_pub -l -q 1 (64 in flight)", 1.0);
    }

    private static string ResultKey(int i) => i.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary><c>mosquitto_sub -C n</c>: exits once it has received every message (its output goes to /dev/null).</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly Process _process;

        private Subscriber(Process process, Task completed)
        {
            _process = process;
            Completed = completed;
        }

        public Task Completed { get; }

        public static async Task<Subscriber> StartAsync(MosquittoBroker broker, string topic, int count)
        {
            var id = "bench-sub-" + topic.Replace('/', '-');
            var process = Process.Start(new ProcessStartInfo("/bin/sh")
            {
                ArgumentList =
                {
                    "-c",
                    string.Create(CultureInfo.InvariantCulture, $"exec mosquitto_sub -h {broker.Host} -p {broker.Port} -i {id} -V 5 -q 1 -t '{topic}' -C {count} > /dev/null"),
                },
            })!;
            await broker.WaitForLogAsync($"{id} 1 {topic}", TimeSpan.FromSeconds(10));
            var completed = process.WaitForExitAsync().ContinueWith(
                _ => process.ExitCode == 0 ? Task.CompletedTask : throw new InvalidOperationException($"mosquitto_sub exited with {process.ExitCode}"),
                TaskScheduler.Default).Unwrap();
            return new Subscriber(process, completed);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
