using System.Threading.Channels;

namespace MirtLab.Mqtt;

/// <summary>The MQTT seam of MirtLab: everything the host needs from a broker connection.</summary>
public interface IMqttClient : IAsyncDisposable
{
    /// <summary>Raised (on a pool thread) whenever <see cref="State"/> changes.</summary>
    event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    bool IsConnected { get; }

    MqttConnectionState State { get; }

    /// <summary>When <see cref="State"/> last changed (from the configured <see cref="TimeProvider"/>).</summary>
    DateTimeOffset StateSince { get; }

    /// <summary>The most recent connection error, also while reconnect attempts keep failing.</summary>
    Exception? LastError { get; }

    /// <summary>Messages from subscriptions. A QoS 1 message is acknowledged (PUBACK) when it is read from here.</summary>
    ChannelReader<MqttApplicationMessage> Messages { get; }

    /// <summary>Connects once (no retry); after success, a lost connection is re-established automatically.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the broker has the message: QoS 1 on PUBACK, QoS 0 once written to the socket. While the
    /// client reconnects, QoS 1 messages wait and are (re)sent after reconnect; QoS 0 fails at once.
    /// </summary>
    Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default);

    /// <summary>Subscribes and returns the QoS the broker granted; throws <see cref="MqttSubscribeException"/> on refusal.</summary>
    Task<MqttQualityOfService> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default);

    Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default);

    /// <summary>Sends DISCONNECT (the broker discards the will) and closes; unacknowledged publishes fail.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken = default);
}
