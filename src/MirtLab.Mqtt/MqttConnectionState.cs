namespace MirtLab.Mqtt;

public enum MqttConnectionState
{
    /// <summary>Not connected: never connected, disconnected by the application, or lost with AutoReconnect off.</summary>
    Disconnected,

    /// <summary>The first ConnectAsync is in progress.</summary>
    Connecting,

    Connected,

    /// <summary>The connection was lost; the client retries with backoff and QoS 1 messages wait for it.</summary>
    Reconnecting,
}

/// <summary>Raised on every state change; <see cref="Since"/> is when this state began ("broker unreachable since …").</summary>
public sealed class MqttConnectionStateChangedEventArgs(MqttConnectionState state, DateTimeOffset since, Exception? error) : EventArgs
{
    public MqttConnectionState State { get; } = state;

    public DateTimeOffset Since { get; } = since;

    /// <summary>Why the connection was lost or could not be made; null for changes the application asked for.</summary>
    public Exception? Error { get; } = error;
}
