using System.Text;
using MirtLab.Mqtt.Protocol;
using MirtLab.Mqtt.Tests.Support;

namespace MirtLab.Mqtt.Tests.Client;

/// <summary>Client behaviour against a scripted broker: the failures a real broker does not produce on demand.</summary>
public sealed class MqttClientBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MqttApplicationMessage Message(int i, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce) =>
        TestClients.Message("lab/v1/seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture), qos);

    [Fact]
    public async Task Auto_BrokerAnswersUnacceptableProtocolVersion_FallsBackToV311()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions(MqttProtocolVersion.Auto));
        var connecting = client.ConnectAsync(Ct);

        var first = await broker.AcceptAsync();
        Assert.Equal(MqttProtocolVersion.V500, (await first.ReadAsync<ConnectPacket>()).ProtocolVersion);
        await first.SendRawAsync([0x20, 0x02, 0x00, 0x01]);
        first.Abort();
        var (_, connect) = await broker.AcceptAndConnAckAsync();
        await connecting;

        Assert.Equal(MqttProtocolVersion.V311, connect.ProtocolVersion);
        Assert.Equal(MqttProtocolVersion.V311, client.ProtocolVersion);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task V500_BrokerRefusesWithReason_ConnectThrowsWithTheReasonName()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions());
        var connecting = client.ConnectAsync(Ct);
        var connection = await broker.AcceptAsync();
        await connection.ReadAsync<ConnectPacket>();
        await connection.SendAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.Banned, Properties = new MqttProperties { ReasonString = "go away" } });

        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => connecting);

        Assert.Equal(MqttReasonCode.Banned, ex.ReasonCode);
        Assert.Contains("Banned (0x8A), \"go away\"", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
        Assert.Same(ex, client.LastError);
    }

    [Fact]
    public async Task Connect_BrokerNeverAnswers_TimesOutNamingTheStage()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.ConnectTimeout = TimeSpan.FromMilliseconds(300);
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync(Ct));

        Assert.Contains("timed out after 0.3 s (CONNACK)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NothingListening_FailsWithCommunicationException()
    {
        var options = new MqttClientOptions { Host = "127.0.0.1", Port = MirtLab.Testing.FreePort.Next(), ClientId = "nobody" };
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync(Ct));

        Assert.Contains("Cannot connect to 127.0.0.1:", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Publish_NegativePubAck_ThrowsPublishExceptionWithReasonName()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions());
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync();
        await connecting;

        var publishing = client.PublishAsync(Message(1), Ct);
        var publish = await connection.ReadAsync<PublishPacket>();
        await connection.SendAsync(new PubAckPacket
        {
            PacketId = publish.PacketId,
            ReasonCode = MqttReasonCode.NotAuthorized,
            Properties = new MqttProperties { ReasonString = "ACL denies lab/v1/seq" },
        });

        var ex = await Assert.ThrowsAsync<MqttPublishException>(() => publishing);
        Assert.Equal(MqttReasonCode.NotAuthorized, ex.ReasonCode);
        Assert.Equal("ACL denies lab/v1/seq", ex.ReasonString);
        Assert.Contains("NotAuthorized (0x87)", ex.Message, StringComparison.Ordinal);

        // A refusal of one message is not a connection problem: the next one goes through.
        var next = client.PublishAsync(Message(2), Ct);
        var second = await connection.ReadAsync<PublishPacket>();
        await connection.SendAsync(new PubAckPacket { PacketId = second.PacketId, ReasonCode = MqttReasonCode.NoMatchingSubscribers });
        await next;
    }

    [Fact]
    public async Task Publish_ManyConcurrent_NeverExceedWindowAndPacketIdsAreRecycled()
    {
        const int window = 16;
        const int count = 70_000; // more than 65535: identifiers must wrap around and be reused
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.MaxInflightMessages = window;
        await using var client = new MqttClient(options);
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync();
        await connecting;

        var publishes = Enumerable.Range(0, count).Select(i => client.PublishAsync(Message(i), Ct)).ToList();
        var outstanding = new List<ushort>();
        var random = new Random(3);
        var maxOutstanding = 0;
        var expected = 0;
        while (expected < count)
        {
            var publish = await connection.ReadAsync<PublishPacket>();
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(publish.Payload.Span));
            Assert.False(publish.Dup);
            Assert.DoesNotContain(publish.PacketId, outstanding);
            outstanding.Add(publish.PacketId);
            expected++;
            maxOutstanding = Math.Max(maxOutstanding, outstanding.Count);
            Assert.True(outstanding.Count <= window, $"{outstanding.Count} unacknowledged, window is {window}");

            // When the window is full (or at the end), acknowledge a random half of it, out of order, in one write.
            if (outstanding.Count == window || expected == count)
            {
                var acks = new List<byte>();
                for (var n = expected == count ? outstanding.Count : window / 2; n > 0; n--)
                {
                    var at = random.Next(outstanding.Count);
                    acks.AddRange(MqttPacketCodec.Encode(new PubAckPacket { PacketId = outstanding[at] }, connection.Version));
                    outstanding.RemoveAt(at);
                }

                await connection.SendRawAsync([.. acks]);
            }
        }

        await Task.WhenAll(publishes).WaitAsync(TestClients.Patience, Ct);
        Assert.Equal(window, maxOutstanding);
    }

    [Fact]
    public async Task Publish_BrokerReceiveMaximum_LimitsTheWindow()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions());
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync(properties: new MqttProperties { ReceiveMaximum = 3 });
        await connecting;

        var publishes = Enumerable.Range(0, 10).Select(i => client.PublishAsync(Message(i), Ct)).ToList();
        var subscribing = client.SubscribeAsync("marker", MqttQualityOfService.AtMostOnce, Ct);

        // Writes keep call order, so with a window of 3 the SUBSCRIBE overtakes PUBLISH 3..9, which wait for PUBACKs.
        var sent = new List<MqttPacket>();
        for (var i = 0; i < 4; i++)
        {
            sent.Add(await connection.ReadAsync());
        }

        Assert.Equal(["PUBLISH", "PUBLISH", "PUBLISH", "SUBSCRIBE"], sent.Select(p => p.ToString()));
        await connection.SendAsync(new PubAckPacket { PacketId = ((PublishPacket)sent[0]).PacketId });
        Assert.Equal("3", Text(await connection.ReadAsync<PublishPacket>()));
        await publishes[0].WaitAsync(TestClients.Patience, Ct);
        Assert.All(publishes.Skip(1), p => Assert.False(p.IsCompleted));
        Assert.False(subscribing.IsCompleted);
    }

    [Fact]
    public async Task ConnectionLost_InflightMessagesAreResentInOrderWithDup()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.MaxInflightMessages = 5;
        options.PersistentSession = true;
        await using var client = new MqttClient(options);
        var connecting = client.ConnectAsync(Ct);
        var (first, _) = await broker.AcceptAndConnAckAsync();
        await connecting;

        var publishes = Enumerable.Range(0, 8).Select(i => client.PublishAsync(Message(i), Ct)).ToList();
        var sent = new List<PublishPacket>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add(await first.ReadAsync<PublishPacket>());
        }

        first.Abort();
        var (second, connect) = await broker.AcceptAndConnAckAsync(sessionPresent: true);
        Assert.False(connect.CleanStart);

        var resent = new List<PublishPacket>();
        for (var i = 0; i < 8; i++)
        {
            var publish = await second.ReadAsync<PublishPacket>();
            resent.Add(publish);
            if (i >= 4)
            {
                // Keep the window moving so that the last three are sent too.
                await second.SendAsync(new PubAckPacket { PacketId = resent[i - 4].PacketId });
            }
        }

        Assert.Equal(sent.Select(p => (p.PacketId, Text(p))), resent.Take(5).Select(p => (p.PacketId, Text(p))));
        Assert.All(resent.Take(5), p => Assert.True(p.Dup));
        Assert.All(resent.Skip(5), p => Assert.False(p.Dup));
        Assert.Equal(["5", "6", "7"], resent.Skip(5).Select(Text));
        foreach (var p in resent.Skip(4))
        {
            await second.SendAsync(new PubAckPacket { PacketId = p.PacketId });
        }

        await Task.WhenAll(publishes).WaitAsync(TestClients.Patience, Ct);
    }

    [Fact]
    public async Task BrokerSendsGarbage_ConnectionIsDroppedWithProtocolErrorAndReestablished()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions());
        var errors = new List<Exception?>();
        client.ConnectionStateChanged += (_, e) =>
        {
            lock (errors)
            {
                errors.Add(e.Error);
            }
        };
        var connecting = client.ConnectAsync(Ct);
        var (first, _) = await broker.AcceptAndConnAckAsync();
        await connecting;
        var publishing = client.PublishAsync(Message(1), Ct);
        await first.ReadAsync<PublishPacket>();

        await first.SendRawAsync([0x00, 0x00, 0xFF, 0xFF]);

        var (second, _) = await broker.AcceptAndConnAckAsync();
        var resent = await second.ReadAsync<PublishPacket>();
        Assert.True(resent.Dup);
        await second.SendAsync(new PubAckPacket { PacketId = resent.PacketId });
        await publishing.WaitAsync(TestClients.Patience, Ct);
        lock (errors)
        {
            Assert.Contains(errors, e => e is MqttProtocolException p && p.Message.Contains("packet type 0 is reserved", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task BrokerDisconnectsWithReason_LastErrorCarriesTheReasonName()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.AutoReconnect = false;
        await using var client = new MqttClient(options);
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync();
        await connecting;
        var pending = client.PublishAsync(Message(1), Ct);
        await connection.ReadAsync<PublishPacket>();

        await connection.SendAsync(new DisconnectPacket { ReasonCode = MqttReasonCode.SessionTakenOver });
        await client.WaitForStateAsync(MqttConnectionState.Disconnected);

        var error = Assert.IsType<MqttDisconnectedByBrokerException>(client.LastError);
        Assert.Equal(MqttReasonCode.SessionTakenOver, error.ReasonCode);
        Assert.Contains("SessionTakenOver (0x8E)", error.Message, StringComparison.Ordinal);

        // AutoReconnect off: the unacknowledged message fails rather than waiting for a reconnect that never comes.
        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => pending.WaitAsync(TestClients.Patience, Ct));
        Assert.Same(error, ex.InnerException);
    }

    [Fact]
    public async Task KeepAlive_BrokerStopsAnswering_ConnectionDeclaredDead()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.KeepAlive = TimeSpan.FromSeconds(1);
        options.PingResponseTimeout = TimeSpan.FromMilliseconds(500);
        options.AutoReconnect = false;
        await using var client = new MqttClient(options);
        var connecting = client.ConnectAsync(Ct);
        var (connection, connect) = await broker.AcceptAndConnAckAsync();
        await connecting;
        Assert.Equal(1, connect.KeepAliveSeconds);

        Assert.IsType<PingReqPacket>(await connection.ReadAsync());
        await client.WaitForStateAsync(MqttConnectionState.Disconnected);

        Assert.Contains("Keep-alive", client.LastError?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_WithPublishesPendingAndWaiting_FailsEveryOnePromptly()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.MaxInflightMessages = 2;
        var client = new MqttClient(options);
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync();
        await connecting;
        var publishes = Enumerable.Range(0, 5).Select(i => client.PublishAsync(Message(i), Ct)).ToList();
        await connection.ReadAsync<PublishPacket>();

        await client.DisposeAsync();

        foreach (var publish in publishes)
        {
            await Assert.ThrowsAsync<MqttNotConnectedException>(() => publish.WaitAsync(TestClients.Patience, Ct));
        }

        Assert.IsType<DisconnectPacket>(await connection.ReadUntilAsync<DisconnectPacket>());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.PublishAsync(Message(9), Ct));
    }

    [Fact]
    public async Task Publish_CancelledWhileWaitingForTheWindow_IsNeverSent()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.MaxInflightMessages = 1;
        await using var client = new MqttClient(options);
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync();
        await connecting;

        var first = client.PublishAsync(Message(1), Ct);
        using var cancel = new CancellationTokenSource();
        var second = client.PublishAsync(Message(2), cancel.Token);
        var third = client.PublishAsync(Message(3), Ct);
        var sent = await connection.ReadAsync<PublishPacket>();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await connection.SendAsync(new PubAckPacket { PacketId = sent.PacketId });

        var next = await connection.ReadAsync<PublishPacket>();
        Assert.Equal("3", Text(next));
        await connection.SendAsync(new PubAckPacket { PacketId = next.PacketId });
        await Task.WhenAll(first, third).WaitAsync(TestClients.Patience, Ct);
    }

    [Fact]
    public async Task IncomingQoS1_IsAcknowledgedWhenTheApplicationReadsIt()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions());
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync();
        await connecting;

        await connection.SendAsync(new PublishPacket
        {
            Topic = "lab/v1/commands",
            PacketId = 4242,
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Dup = true,
            Payload = Encoding.UTF8.GetBytes("reload"),
            Properties = new MqttProperties { ContentType = "text/plain", MessageExpiryInterval = 30, UserProperties = [new("from", "lis")] },
        });
        var message = await client.Messages.ReadAsync(Ct);

        Assert.Equal(4242, (await connection.ReadAsync<PubAckPacket>()).PacketId);
        Assert.Equal("reload", message.Text());
        Assert.True(message.Duplicate);
        Assert.Equal("text/plain", message.ContentType);
        Assert.Equal(TimeSpan.FromSeconds(30), message.MessageExpiryInterval);
        Assert.Equal([new MqttUserProperty("from", "lis")], message.UserProperties);
    }

    [Fact]
    public async Task Subscribe_Refused_ThrowsSubscribeExceptionWithReasonName()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions(MqttProtocolVersion.V311));
        var connecting = client.ConnectAsync(Ct);
        var (connection, _) = await broker.AcceptAndConnAckAsync();
        await connecting;

        var subscribing = client.SubscribeAsync("lab/#", MqttQualityOfService.AtLeastOnce, Ct);
        var subscribe = await connection.ReadAsync<SubscribePacket>();
        await connection.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [MqttReasonCode.UnspecifiedError] });

        var ex = await Assert.ThrowsAsync<MqttSubscribeException>(() => subscribing);
        Assert.Equal("lab/#", ex.TopicFilter);
        Assert.Contains("UnspecifiedError (0x80)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconnect_WithoutSession_SubscribesAgain()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions());
        var connecting = client.ConnectAsync(Ct);
        var (first, _) = await broker.AcceptAndConnAckAsync();
        await connecting;
        var subscribing = client.SubscribeAsync("lab/v1/#", MqttQualityOfService.AtLeastOnce, Ct);
        var subscribe = await first.ReadAsync<SubscribePacket>();
        await first.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [MqttReasonCode.GrantedQoS1] });
        Assert.Equal(MqttQualityOfService.AtLeastOnce, await subscribing);

        first.Abort();
        var (second, _) = await broker.AcceptAndConnAckAsync(sessionPresent: false);

        var again = await second.ReadAsync<SubscribePacket>();
        Assert.Equal("lab/v1/#", Assert.Single(again.Subscriptions).TopicFilter);
    }

    [Fact]
    public async Task Publish_BeforeConnect_ThrowsNotConnected()
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", ClientId = "x" });

        await Assert.ThrowsAsync<MqttNotConnectedException>(() => client.PublishAsync(Message(1), Ct));
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => client.PublishAsync(Message(1, MqttQualityOfService.AtMostOnce), Ct));
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => client.SubscribeAsync("a", MqttQualityOfService.AtLeastOnce, Ct));
    }

    [Theory]
    [InlineData("a/+/b", "wildcard")]
    [InlineData("", "at least one character")]
    [InlineData("a\0", "U+0000")]
    public async Task Publish_InvalidTopic_ThrowsArgumentExceptionBeforeAnythingIsQueued(string topic, string expected)
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", ClientId = "x" });

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(TestClients.Message(topic, "x"), Ct));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_QoS2_IsRejectedClearly()
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", ClientId = "x" });

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.PublishAsync(Message(1, (MqttQualityOfService)2), Ct));

        Assert.Contains("QoS 2 (exactly once) is not", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerWithoutQoS1OrRetain_MessagesItCannotTakeFailInsteadOfBeingResentForever()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(broker.ClientOptions());
        var connecting = client.ConnectAsync(Ct);
        var (first, _) = await broker.AcceptAndConnAckAsync();
        await connecting;
        var queued = client.PublishAsync(Message(1), Ct);
        await first.ReadAsync<PublishPacket>();

        // The broker comes back without QoS 1 and without retained messages (MQTT 3.2.2.3.4, 3.2.2.3.5).
        first.Abort();
        var (second, _) = await broker.AcceptAndConnAckAsync(properties: new MqttProperties { MaximumQoS = 0, RetainAvailable = 0 });

        var resendRefused = await Assert.ThrowsAsync<MqttPublishException>(() => queued.WaitAsync(TestClients.Patience, Ct));
        Assert.Equal(MqttReasonCode.QoSNotSupported, resendRefused.ReasonCode);
        await client.WaitForStateAsync(MqttConnectionState.Connected);
        var retained = await Assert.ThrowsAsync<MqttPublishException>(() => client.PublishAsync(TestClients.Message("lab/v1/s", "x", MqttQualityOfService.AtMostOnce, retain: true), Ct));
        Assert.Equal(MqttReasonCode.RetainNotSupported, retained.ReasonCode);
        await client.PublishAsync(Message(2, MqttQualityOfService.AtMostOnce), Ct);
        Assert.Equal("2", Text(await second.ReadAsync<PublishPacket>()));
    }

    [Fact]
    public async Task ConnectAgain_AfterALossWithAutoReconnectOff_Works()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.AutoReconnect = false;
        await using var client = new MqttClient(options);
        var connecting = client.ConnectAsync(Ct);
        var (first, _) = await broker.AcceptAndConnAckAsync();
        await connecting;

        first.Abort();
        await client.WaitForStateAsync(MqttConnectionState.Disconnected);
        var reconnecting = client.ConnectAsync(Ct);
        await broker.AcceptAndConnAckAsync();
        await reconnecting;

        Assert.True(client.IsConnected);
    }

    private static string Text(PublishPacket publish) => Encoding.UTF8.GetString(publish.Payload.Span);
}
