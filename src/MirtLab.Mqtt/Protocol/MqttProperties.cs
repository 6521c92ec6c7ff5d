namespace MirtLab.Mqtt.Protocol;

/// <summary>MQTT 5.0 properties (MQTT 2.2.2.2); which may appear in which packet is checked by the codec.</summary>
internal sealed class MqttProperties
{
    public byte? PayloadFormatIndicator { get; set; }

    public uint? MessageExpiryInterval { get; set; }

    public string? ContentType { get; set; }

    public string? ResponseTopic { get; set; }

    public ReadOnlyMemory<byte>? CorrelationData { get; set; }

    /// <summary>Several in a PUBLISH (one per matching subscription), at most one in a SUBSCRIBE.</summary>
    public List<uint>? SubscriptionIdentifiers { get; set; }

    public uint? SessionExpiryInterval { get; set; }

    public string? AssignedClientIdentifier { get; set; }

    public ushort? ServerKeepAlive { get; set; }

    public string? AuthenticationMethod { get; set; }

    public ReadOnlyMemory<byte>? AuthenticationData { get; set; }

    public byte? RequestProblemInformation { get; set; }

    public uint? WillDelayInterval { get; set; }

    public byte? RequestResponseInformation { get; set; }

    public string? ResponseInformation { get; set; }

    public string? ServerReference { get; set; }

    public string? ReasonString { get; set; }

    public ushort? ReceiveMaximum { get; set; }

    public ushort? TopicAliasMaximum { get; set; }

    public ushort? TopicAlias { get; set; }

    public byte? MaximumQoS { get; set; }

    public byte? RetainAvailable { get; set; }

    public List<MqttUserProperty>? UserProperties { get; set; }

    public uint? MaximumPacketSize { get; set; }

    public byte? WildcardSubscriptionAvailable { get; set; }

    public byte? SubscriptionIdentifierAvailable { get; set; }

    public byte? SharedSubscriptionAvailable { get; set; }

    /// <summary>The MQTT 5.0 properties of an application message, or null when it has none.</summary>
    public static MqttProperties? FromMessage(MqttApplicationMessage message)
    {
        if (message.ContentType is null && message.MessageExpiryInterval is null && message.UserProperties.Count == 0
            && message.ResponseTopic is null && message.CorrelationData is null)
        {
            return null;
        }

        return new MqttProperties
        {
            ContentType = message.ContentType,
            MessageExpiryInterval = message.MessageExpiryInterval is { } expiry ? (uint)Math.Ceiling(expiry.TotalSeconds) : null,
            UserProperties = message.UserProperties.Count == 0 ? null : [.. message.UserProperties],
            ResponseTopic = message.ResponseTopic,
            CorrelationData = message.CorrelationData,
        };
    }
}
