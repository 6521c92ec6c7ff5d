namespace MirtLab.Mqtt;

/// <summary>
/// A message published to, or received from, the broker. The MQTT 5.0 properties (content type, expiry,
/// user properties, response topic, correlation data) are not transmitted when MQTT 3.1.1 was negotiated.
/// </summary>
public sealed class MqttApplicationMessage
{
    /// <summary>The topic name; no wildcards (MQTT-3.3.2-2), at least one character, at most 65535 UTF-8 bytes.</summary>
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <value>Default <see cref="MqttQualityOfService.AtMostOnce"/>.</value>
    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>Ask the broker to keep this as the topic's retained message; on receipt, set when it was a retained message.</summary>
    public bool Retain { get; init; }

    /// <summary>MQTT 5.0 content type, e.g. "application/json".</summary>
    public string? ContentType { get; init; }

    /// <summary>MQTT 5.0 message expiry interval, transmitted in whole seconds (rounded up).</summary>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>MQTT 5.0 user properties, in order.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>MQTT 5.0 response topic for request/response.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>MQTT 5.0 correlation data for request/response.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>Received messages only: the broker may have delivered this message before (DUP flag, MQTT 3.3.1.1).</summary>
    public bool Duplicate { get; init; }
}
