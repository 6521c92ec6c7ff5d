using System.Globalization;
using MirtLab.Mqtt.Tests.Support;
using MirtLab.Testing;

namespace MirtLab.Mqtt.Tests.Conformance;

/// <summary>PUBLISH and SUBSCRIBE against a real Mosquitto, checked by this client and by mosquitto_sub/mosquitto_pub.</summary>
public sealed class MosquittoMessagingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce)]
    public async Task Publish_IsReceivedByMosquittoSub(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var subscriber = await MosquittoCommandLine.SubscribeAsync(broker, "lab/v1/results/#", count: 3, arguments: ["-F", "%t %q %p"], cancellationToken: Ct);
        await using var client = await TestClients.ConnectAsync(TestClients.For(broker, "pub", version));

        for (var i = 1; i <= 3; i++)
        {
            await client.PublishAsync(TestClients.Message($"lab/v1/results/{i}", $"result {i} µg/L", qos), Ct);
        }

        var lines = await subscriber.WaitForExitAsync(TestClients.Patience, Ct);
        Assert.Equal(
            Enumerable.Range(1, 3).Select(i => $"lab/v1/results/{i} {(int)qos} result {i} µg/L"),
            lines);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Publish_IsReceivedByThisClientSubscribed(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var subscriber = await TestClients.ConnectAsync(TestClients.For(broker, "sub", version));
        await using var publisher = await TestClients.ConnectAsync(TestClients.For(broker, "pub", version));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, await subscriber.SubscribeAsync("lab/v1/+/status", MqttQualityOfService.AtLeastOnce, Ct));

        await publisher.PublishAsync(TestClients.Message("lab/v1/qqq/status", "up", MqttQualityOfService.AtMostOnce), Ct);
        await publisher.PublishAsync(TestClients.Message("lab/v1/tsq/status", "down"), Ct);

        var messages = await subscriber.ReceiveAsync(2);
        Assert.Equal(["lab/v1/qqq/status up 0", "lab/v1/tsq/status down 1"], messages.Select(m => $"{m.Topic} {m.Text()} {(int)m.QualityOfService}"));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Subscribe_ReceivesFromMosquittoPubAndAcknowledges(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { DebugLog = true }, Ct);
        var options = TestClients.For(broker, "sub", version);
        await using var client = await TestClients.ConnectAsync(options);
        await client.SubscribeAsync("lab/v1/commands", MqttQualityOfService.AtLeastOnce, Ct);

        await MosquittoCommandLine.PublishAsync(broker, "lab/v1/commands", "reload catalog", ["-q", "1"], Ct);
        var message = Assert.Single(await client.ReceiveAsync(1));

        Assert.Equal("reload catalog", message.Text());
        Assert.Equal(MqttQualityOfService.AtLeastOnce, message.QualityOfService);
        await broker.WaitForLogAsync($"Received PUBACK from {options.ClientId}", TestClients.Patience, Ct);
    }

    [Fact]
    public async Task Unsubscribe_StopsDelivery()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var client = await TestClients.ConnectAsync(TestClients.For(broker, "unsub"));
        await client.SubscribeAsync("lab/v1/a", MqttQualityOfService.AtLeastOnce, Ct);
        await client.SubscribeAsync("lab/v1/b", MqttQualityOfService.AtLeastOnce, Ct);

        await client.UnsubscribeAsync("lab/v1/a", Ct);
        await client.PublishAsync(TestClients.Message("lab/v1/a", "after unsubscribe"), Ct);
        await client.PublishAsync(TestClients.Message("lab/v1/b", "marker"), Ct);

        // Messages from one publisher arrive in order: if "a" were still subscribed it would come first.
        Assert.Equal("marker", Assert.Single(await client.ReceiveAsync(1)).Text());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task RetainedMessage_IsDeliveredToALaterSubscriberWithRetainSet(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using (var publisher = await TestClients.ConnectAsync(TestClients.For(broker, "pub", version)))
        {
            await publisher.PublishAsync(TestClients.Message("lab/v1/status/worker", "online", retain: true), Ct);
            await publisher.DisconnectAsync(Ct);
        }

        await using var subscriber = await TestClients.ConnectAsync(TestClients.For(broker, "sub", version));
        await subscriber.SubscribeAsync("lab/v1/status/#", MqttQualityOfService.AtLeastOnce, Ct);
        var message = Assert.Single(await subscriber.ReceiveAsync(1));
        var fromCommandLine = await MosquittoCommandLine.SubscribeAsync(broker, "lab/v1/status/#", count: 1, arguments: ["-F", "%r %p"], cancellationToken: Ct);

        Assert.Equal("online", message.Text());
        Assert.True(message.Retain);
        Assert.Equal(["1 online"], await fromCommandLine.WaitForExitAsync(TestClients.Patience, Ct));
        await fromCommandLine.DisposeAsync();
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task LastWill_IsPublishedWhenTheConnectionDiesAndNotOnCleanDisconnect(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var proxy = new LoopbackTcpProxy(broker.Port);
        await using var watcher = await TestClients.ConnectAsync(TestClients.For(broker, "watcher", version));
        await watcher.SubscribeAsync("lab/v1/status/#", MqttQualityOfService.AtLeastOnce, Ct);

        MqttClientOptions WithWill(string name)
        {
            var options = TestClients.For(broker, name, version);
            options.Port = proxy.Port;
            options.AutoReconnect = false;
            options.LastWill = TestClients.Message($"lab/v1/status/{name}", $"{name} died");
            return options;
        }

        await using var dying = await TestClients.ConnectAsync(WithWill("dying"));
        await using var leaving = await TestClients.ConnectAsync(WithWill("leaving"));

        await leaving.DisconnectAsync(Ct);
        proxy.SeverAll();
        await dying.WaitForStateAsync(MqttConnectionState.Disconnected);
        await watcher.PublishAsync(TestClients.Message("lab/v1/status/marker", "end"), Ct);

        // The marker is published after both clients are gone, so any will of "leaving" would precede it.
        var received = await watcher.ReceiveAsync(2);
        Assert.Equal(["lab/v1/status/dying dying died", "lab/v1/status/marker end"], received.Select(m => $"{m.Topic} {m.Text()}"));
    }

    [Fact]
    public async Task V5Properties_ArriveAtAV5Subscriber()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var subscriber = await TestClients.ConnectAsync(TestClients.For(broker, "sub"));
        await subscriber.SubscribeAsync("lab/v1/results/#", MqttQualityOfService.AtLeastOnce, Ct);
        await using var commandLine = await MosquittoCommandLine.SubscribeAsync(
            broker, "lab/v1/results/#", count: 1, arguments: ["-V", "mqttv5", "-F", "%C|%E|%P|%R|%p"], cancellationToken: Ct);
        await using var publisher = await TestClients.ConnectAsync(TestClients.For(broker, "pub"));

        await publisher.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = "lab/v1/results/run-17",
                Payload = "{\"value\":7.4}"u8.ToArray(),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ContentType = "application/json",
                MessageExpiryInterval = TimeSpan.FromMinutes(10),
                UserProperties = [new("instrument", "Agilent 6470"), new("run", "R-17")],
                ResponseTopic = "lab/v1/acks",
                CorrelationData = "c-1"u8.ToArray(),
            },
            Ct);

        var message = Assert.Single(await subscriber.ReceiveAsync(1));
        Assert.Equal("application/json", message.ContentType);
        Assert.InRange(message.MessageExpiryInterval!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal([new MqttUserProperty("instrument", "Agilent 6470"), new MqttUserProperty("run", "R-17")], message.UserProperties);
        Assert.Equal("lab/v1/acks", message.ResponseTopic);
        Assert.Equal("c-1"u8.ToArray(), message.CorrelationData!.Value.ToArray());
        var line = Assert.Single(await commandLine.WaitForExitAsync(TestClients.Patience, Ct));
        Assert.Matches(@"^application/json\|(600|599)\|instrument:Agilent 6470 run:R-17\|lab/v1/acks\|\{""value"":7\.4\}$", line);
    }

    [Fact]
    public async Task V5Properties_AreNotSentWithV311()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var subscriber = await TestClients.ConnectAsync(TestClients.For(broker, "sub"));
        await subscriber.SubscribeAsync("lab/v1/results/#", MqttQualityOfService.AtLeastOnce, Ct);
        await using var publisher = await TestClients.ConnectAsync(TestClients.For(broker, "pub", MqttProtocolVersion.V311));

        await publisher.PublishAsync(
            new MqttApplicationMessage { Topic = "lab/v1/results/x", Payload = "{}"u8.ToArray(), ContentType = "application/json", UserProperties = [new("k", "v")] },
            Ct);

        var message = Assert.Single(await subscriber.ReceiveAsync(1));
        Assert.Null(message.ContentType);
        Assert.Empty(message.UserProperties);
        Assert.Equal("{}", message.Text());
    }

    [Fact]
    public async Task ConnectionState_IsObservableWithSinceAndLastError()
    {
        var time = TimeProvider.System;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        var options = TestClients.For(broker, "state");
        var changes = new List<MqttConnectionStateChangedEventArgs>();
        await using var client = new MqttClient(options);
        client.ConnectionStateChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e);
            }
        };

        var before = time.GetUtcNow();
        await client.ConnectAsync(Ct);
        await broker.KillAsync(Ct);
        await client.WaitForStateAsync(MqttConnectionState.Reconnecting);
        var lostAt = client.StateSince;
        await broker.RestartAsync(Ct);
        await client.WaitForStateAsync(MqttConnectionState.Connected);
        await client.DisconnectAsync(Ct);

        lock (changes)
        {
            Assert.Equal(
                [MqttConnectionState.Connecting, MqttConnectionState.Connected, MqttConnectionState.Reconnecting, MqttConnectionState.Connected, MqttConnectionState.Disconnected],
                changes.Select(c => c.State));
            var lost = changes[2];
            Assert.IsType<MqttCommunicationException>(lost.Error);
            Assert.Equal(lostAt, lost.Since);
            Assert.True(lost.Since >= before);
            Assert.Null(changes[^1].Error);
        }

        Assert.Equal(MqttConnectionState.Disconnected, client.State);
        Assert.Contains(broker.Port.ToString(CultureInfo.InvariantCulture), client.LastError!.Message, StringComparison.Ordinal);
    }
}
