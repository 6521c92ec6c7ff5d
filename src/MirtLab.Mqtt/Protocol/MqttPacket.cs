namespace MirtLab.Mqtt.Protocol;

/// <summary>MQTT 2.1.2 control packet types.</summary>
internal enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
    Auth = 15,
}

/// <summary>A decoded control packet: plain data; <see cref="MqttPacketCodec"/> does all reading and writing.</summary>
internal abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }

    /// <summary>MQTT 5.0 properties; null when there are none (and always for MQTT 3.1.1).</summary>
    public MqttProperties? Properties { get; init; }

    public override string ToString() => Type.ToString().ToUpperInvariant();
}

internal sealed class ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V311;

    public string ClientId { get; init; } = "";

    public bool CleanStart { get; init; }

    public ushort KeepAliveSeconds { get; init; }

    public string? Username { get; init; }

    public ReadOnlyMemory<byte>? Password { get; init; }

    public ConnectWill? Will { get; init; }
}

internal sealed class ConnectWill
{
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public MqttQualityOfService QualityOfService { get; init; }

    public bool Retain { get; init; }

    /// <summary>MQTT 5.0 will properties (MQTT 3.1.3.2).</summary>
    public MqttProperties? Properties { get; init; }
}

internal sealed class ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; init; }

    /// <summary>MQTT 3.1.1 return codes are mapped to their 5.0 names.</summary>
    public MqttReasonCode ReasonCode { get; init; }
}

internal sealed class PublishPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    public required string Topic { get; init; }

    /// <summary>Zero for QoS 0.</summary>
    public ushort PacketId { get; init; }

    public MqttQualityOfService QualityOfService { get; init; }

    public bool Retain { get; init; }

    public bool Dup { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }
}

internal sealed class PubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.PubAck;

    public ushort PacketId { get; init; }

    public MqttReasonCode ReasonCode { get; init; }
}

internal readonly record struct MqttSubscription(
    string TopicFilter,
    MqttQualityOfService MaximumQoS,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    byte RetainHandling = 0);

internal sealed class SubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public ushort PacketId { get; init; }

    public required IReadOnlyList<MqttSubscription> Subscriptions { get; init; }
}

internal sealed class SubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public ushort PacketId { get; init; }

    /// <summary>One per requested filter: GrantedQoS0/1/2 or a failure (MQTT 3.1.1's 0x80 is UnspecifiedError).</summary>
    public required IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; }
}

internal sealed class UnsubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public ushort PacketId { get; init; }

    public required IReadOnlyList<string> TopicFilters { get; init; }
}

internal sealed class UnsubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public ushort PacketId { get; init; }

    /// <summary>MQTT 5.0 only; empty for MQTT 3.1.1, whose UNSUBACK carries no codes.</summary>
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];
}

internal sealed class PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;
}

internal sealed class PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;
}

internal sealed class DisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public MqttReasonCode ReasonCode { get; init; }
}
