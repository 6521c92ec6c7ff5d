using System.Diagnostics;
using System.Globalization;
using System.Text;
using MirtLab.Mqtt.Tests.Support;
using MirtLab.Testing;

namespace MirtLab.Mqtt.Tests.Conformance;

/// <summary>Throughput and failure behaviour against a real Mosquitto: pipelining, broker restarts, a hung broker.</summary>
public sealed class MosquittoResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pipelining_10000QoS1Messages_WithABoundedWindow_AllArriveExactlyInOrder()
    {
        const int count = 10_000;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxQueuedMessages = 2 * count }, Ct);
        await using var subscriber = await TestClients.ConnectAsync(TestClients.For(broker, "sub"));
        await subscriber.SubscribeAsync("lab/v1/pipeline", MqttQualityOfService.AtLeastOnce, Ct);
        var receiving = subscriber.ReceiveAsync(count, TimeSpan.FromSeconds(30));
        var options = TestClients.For(broker, "pub");
        options.MaxInflightMessages = 64;
        await using var publisher = await TestClients.ConnectAsync(options);

        var stopwatch = Stopwatch.StartNew();
        var publishes = Enumerable.Range(0, count).Select(i => publisher.PublishAsync(Numbered("lab/v1/pipeline", i), Ct)).ToList();
        await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var acknowledged = stopwatch.Elapsed;
        var received = await receiving;
        var delivered = stopwatch.Elapsed;

        Assert.Equal(Enumerable.Range(0, count), received.Select(Number));
        Assert.All(received, m => Assert.False(m.Duplicate));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{count} QoS 1 messages, window 64: all PUBACKed after {acknowledged.TotalMilliseconds:0} ms ({count / acknowledged.TotalSeconds:0} msg/s), all delivered after {delivered.TotalMilliseconds:0} ms ({count / delivered.TotalSeconds:0} msg/s)"));
    }

    [Fact]
    public async Task BrokerStoppedMidStreamAndRestarted_EveryPublishCompletesAndThePersistentSubscriberGetsEveryMessage()
    {
        const int count = 2000;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true, MaxQueuedMessages = 10 * count }, Ct);
        var subscriberOptions = TestClients.For(broker, "sub");
        subscriberOptions.PersistentSession = true;
        await using var subscriber = await TestClients.ConnectAsync(subscriberOptions);
        await subscriber.SubscribeAsync("lab/v1/restart", MqttQualityOfService.AtLeastOnce, Ct);
        var collector = new Collector(subscriber, count);
        var publisherOptions = TestClients.For(broker, "pub");
        publisherOptions.PersistentSession = true;
        publisherOptions.MaxInflightMessages = 32;
        await using var publisher = await TestClients.ConnectAsync(publisherOptions);
        var states = Record(publisher);

        var publishing = PublishInBatchesAsync(publisher, "lab/v1/restart", count);
        await collector.WaitForAsync(count / 4);
        await broker.StopAsync(Ct);
        await broker.RestartAsync(Ct);
        await publishing.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await collector.WaitForAsync(count);

        Assert.Equal(Enumerable.Range(0, count), collector.Distinct());
        lock (states)
        {
            Assert.Contains(MqttConnectionState.Reconnecting, states);
        }

        Assert.True(publisher.IsConnected);
        TestContext.Current.TestOutputHelper?.WriteLine($"{collector.Total} deliveries for {count} messages ({collector.Total - count} duplicates)");
    }

    [Fact]
    public async Task BrokerKilledMidStream_PendingPublishesCompleteAfterRestartAndSubscriptionsAreRestored()
    {
        const int count = 1000;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        var subscriberOptions = TestClients.For(broker, "sub");
        await using var subscriber = await TestClients.ConnectAsync(subscriberOptions);
        await subscriber.SubscribeAsync("lab/v1/kill", MqttQualityOfService.AtLeastOnce, Ct);
        var collector = new Collector(subscriber, count + 1);
        await using var publisher = await TestClients.ConnectAsync(TestClients.For(broker, "pub"));

        var publishing = PublishInBatchesAsync(publisher, "lab/v1/kill", count);
        await collector.WaitForAsync(count / 4);
        await broker.KillAsync(Ct);
        await broker.RestartAsync(Ct);
        await publishing.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // SIGKILL lost the broker's sessions: the subscriber must have subscribed again by itself.
        await broker.WaitForLogAsync($"{subscriberOptions.ClientId} 1 lab/v1/kill", TestClients.Patience, Ct);
        await publisher.PublishAsync(Numbered("lab/v1/kill", count), Ct);
        await collector.WaitForNumberAsync(count);
    }

    [Fact]
    public async Task KeepAlive_HungBroker_IsDetectedAndTheClientReconnectsWhenItResumes()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        var options = TestClients.For(broker, "keepalive");
        options.KeepAlive = TimeSpan.FromSeconds(1);
        options.PingResponseTimeout = TimeSpan.FromSeconds(1);
        options.ConnectTimeout = TimeSpan.FromSeconds(1);
        await using var client = await TestClients.ConnectAsync(options);
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionStateChanged += (_, e) =>
        {
            if (e.State == MqttConnectionState.Reconnecting)
            {
                lost.TrySetResult(e.Error);
            }
        };

        broker.Pause();
        var pending = client.PublishAsync(TestClients.Message("lab/v1/keepalive", "while hung"), Ct);
        var error = await lost.Task.WaitAsync(TestClients.Patience, Ct);
        broker.Resume();
        await client.WaitForStateAsync(MqttConnectionState.Connected);
        await pending.WaitAsync(TestClients.Patience, Ct);

        var communication = Assert.IsType<MqttCommunicationException>(error);
        Assert.Contains("Keep-alive", communication.Message, StringComparison.Ordinal);
    }

    private static MqttApplicationMessage Numbered(string topic, int i) =>
        TestClients.Message(topic, i.ToString(CultureInfo.InvariantCulture));

    private static int Number(MqttApplicationMessage message) =>
        int.Parse(Encoding.UTF8.GetString(message.Payload.Span), CultureInfo.InvariantCulture);

    /// <summary>Publishes in batches of 50, each awaited, so the stream lasts long enough to be interrupted.</summary>
    private static Task PublishInBatchesAsync(MqttClient publisher, string topic, int count) => Task.Run(
        async () =>
        {
            for (var start = 0; start < count; start += 50)
            {
                await Task.WhenAll(Enumerable.Range(start, Math.Min(50, count - start)).Select(i => publisher.PublishAsync(Numbered(topic, i), Ct)));
            }
        },
        Ct);

    private static List<MqttConnectionState> Record(MqttClient client)
    {
        var states = new List<MqttConnectionState>();
        client.ConnectionStateChanged += (_, e) =>
        {
            lock (states)
            {
                states.Add(e.State);
            }
        };
        return states;
    }

    /// <summary>Reads a client's messages in the background and keeps the distinct numbers seen.</summary>
    private sealed class Collector
    {
        private readonly HashSet<int> _seen = [];
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private readonly Task _reading;

        public Collector(MqttClient client, int expected)
        {
            _reading = Task.Run(
                async () =>
                {
                    await foreach (var message in client.Messages.ReadAllAsync(Ct))
                    {
                        lock (_seen)
                        {
                            _seen.Add(Number(message));
                            Total++;
                            foreach (var (count, reached) in _waiters.Where(w => _seen.Count >= w.Count))
                            {
                                reached.TrySetResult();
                            }

                            if (_seen.Count >= expected)
                            {
                                return;
                            }
                        }
                    }
                },
                Ct);
        }

        public int Total { get; private set; }

        public IEnumerable<int> Distinct()
        {
            lock (_seen)
            {
                return [.. _seen.Order()];
            }
        }

        public async Task WaitForAsync(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_seen)
            {
                if (_seen.Count >= count)
                {
                    return;
                }

                _waiters.Add((count, reached));
            }

            try
            {
                await reached.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"Received {_seen.Count} distinct messages, waited for {count}; reader {_reading.Status}", ex);
            }
        }

        public async Task WaitForNumberAsync(int number)
        {
            var stopwatch = Stopwatch.StartNew();
            while (true)
            {
                lock (_seen)
                {
                    if (_seen.Contains(number))
                    {
                        return;
                    }
                }

                if (stopwatch.Elapsed > TestClients.Patience)
                {
                    throw new TimeoutException($"Message {number} never arrived; {_seen.Count} distinct seen.");
                }

                await Task.Delay(20, Ct);
            }
        }
    }
}
