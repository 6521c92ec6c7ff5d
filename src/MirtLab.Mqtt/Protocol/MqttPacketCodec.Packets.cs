using System.Globalization;

namespace MirtLab.Mqtt.Protocol;

internal static partial class MqttPacketCodec
{
    private const string ProtocolName = "MQTT";

    private static ConnectPacket DecodeConnect(ReadOnlySpan<byte> body)
    {
        var r = new MqttSpanReader(body, "CONNECT");
        var nameAt = r.Position;
        var protocolName = r.ReadString("protocol name");
        if (protocolName != ProtocolName)
        {
            throw r.Error(nameAt, "protocol name", $"'{protocolName}' is not 'MQTT' (MQTT 3.1 and older are not supported)", MqttReasonCode.UnsupportedProtocolVersion);
        }

        var levelAt = r.Position;
        var level = r.ReadByte("protocol level");
        var version = level switch
        {
            4 => MqttProtocolVersion.V311,
            5 => MqttProtocolVersion.V500,
            _ => throw r.Error(levelAt, "protocol level", string.Create(CultureInfo.InvariantCulture, $"level {level} is neither 4 (MQTT 3.1.1) nor 5 (MQTT 5.0)"), MqttReasonCode.UnsupportedProtocolVersion),
        };

        var flagsAt = r.Position;
        var flags = r.ReadByte("connect flags");
        var willFlag = (flags & 0x04) != 0;
        var willQoS = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        var passwordFlag = (flags & 0x40) != 0;
        var usernameFlag = (flags & 0x80) != 0;
        var flagError =
            (flags & 0x01) != 0 ? "the reserved bit is set (MQTT-3.1.2-3)"
            : !willFlag && (willQoS != 0 || willRetain) ? "will QoS and will retain are set without a will (MQTT-3.1.2-11, MQTT-3.1.2-13)"
            : willQoS == 3 ? "will QoS is 3 (MQTT-3.1.2-14)"
            : willQoS == 2 ? "will QoS 2 is not supported by this implementation"
            : version == MqttProtocolVersion.V311 && passwordFlag && !usernameFlag ? "a password without a user name (MQTT-3.1.2-22)"
            : null;
        if (flagError is not null)
        {
            throw r.Error(flagsAt, "connect flags", flagError);
        }

        var keepAlive = r.ReadUInt16("keep alive");
        var properties = version == MqttProtocolVersion.V500 ? ReadProperties(ref r, PropertyContext.Connect, "CONNECT properties") : null;
        var clientId = r.ReadString("client identifier");
        ConnectWill? will = null;
        if (willFlag)
        {
            var willProperties = version == MqttProtocolVersion.V500 ? ReadProperties(ref r, PropertyContext.Will, "will properties") : null;
            var willTopicAt = r.Position;
            var willTopic = r.ReadString("will topic");
            if (MqttTopicError(willTopic) is { } topicError)
            {
                throw r.Error(willTopicAt, "will topic", topicError);
            }

            will = new ConnectWill
            {
                Topic = willTopic,
                Payload = r.ReadBinaryData("will payload"),
                QualityOfService = (MqttQualityOfService)willQoS,
                Retain = willRetain,
                Properties = willProperties,
            };
        }

        var username = usernameFlag ? r.ReadString("user name") : null;
        // The cast matters: "cond ? memory : null" would turn null into an empty, non-null password.
        ReadOnlyMemory<byte>? password = passwordFlag ? r.ReadBinaryData("password") : (ReadOnlyMemory<byte>?)null;
        r.ExpectEnd("end of CONNECT");
        return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId,
            CleanStart = (flags & 0x02) != 0,
            KeepAliveSeconds = keepAlive,
            Username = username,
            Password = password,
            Will = will,
            Properties = properties,
        };
    }

    private static void WriteConnect(ref MqttSpanWriter w, ConnectPacket p)
    {
        var version = p.ProtocolVersion;
        RequireVersion(version);
        if (version == MqttProtocolVersion.V311 && p.Password is not null && p.Username is null)
        {
            throw new ArgumentException("MQTT 3.1.1 does not allow a password without a user name (MQTT-3.1.2-22).", nameof(p));
        }

        w.WriteString(ProtocolName);
        w.WriteByte((byte)version);
        var flags = (p.CleanStart ? 0x02 : 0)
            | (p.Will is { } will ? 0x04 | ((int)will.QualityOfService << 3) | (will.Retain ? 0x20 : 0) : 0)
            | (p.Password is not null ? 0x40 : 0)
            | (p.Username is not null ? 0x80 : 0);
        w.WriteByte((byte)flags);
        w.WriteUInt16(p.KeepAliveSeconds);
        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        w.WriteString(p.ClientId);
        if (p.Will is { } w2)
        {
            if (version == MqttProtocolVersion.V500)
            {
                WriteProperties(ref w, w2.Properties);
            }

            w.WriteString(w2.Topic);
            w.WriteBinaryData(w2.Payload.Span);
        }

        if (p.Username is not null)
        {
            w.WriteString(p.Username);
        }

        if (p.Password is { } password)
        {
            w.WriteBinaryData(password.Span);
        }
    }

    private static ConnAckPacket DecodeConnAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body, "CONNACK");
        var flagsAt = r.Position;
        var flags = r.ReadByte("acknowledge flags");
        if ((flags & 0xFE) != 0)
        {
            throw r.Error(flagsAt, "acknowledge flags", "reserved bits are set (MQTT-3.2.2-1)");
        }

        var codeAt = r.Position;
        var code = r.ReadByte("return code");

        // A 3.1.1-only broker answers a 5.0 CONNECT with a two-byte 3.1.1 CONNACK, return code 1 (MQTT 3.1.1 §3.1.2.2):
        // read it as such so that Auto can fall back.
        if (version == MqttProtocolVersion.V311 || (body.Length == 2 && code is >= 1 and <= 5))
        {
            r.ExpectEnd("end of CONNACK");
            return new ConnAckPacket
            {
                SessionPresent = (flags & 0x01) != 0,
                ReasonCode = FromV311ReturnCode(code) ?? throw r.Error(codeAt, "return code", string.Create(CultureInfo.InvariantCulture, $"return code {code} is reserved (MQTT 3.1.1 §3.2.2.3)")),
            };
        }

        var properties = r.Remaining == 0 ? null : ReadProperties(ref r, PropertyContext.ConnAck, "CONNACK properties");
        r.ExpectEnd("end of CONNACK");
        return new ConnAckPacket { SessionPresent = (flags & 0x01) != 0, ReasonCode = (MqttReasonCode)code, Properties = properties };
    }

    private static void WriteConnAck(ref MqttSpanWriter w, ConnAckPacket p, MqttProtocolVersion version)
    {
        w.WriteByte(p.SessionPresent ? (byte)1 : (byte)0);
        if (version == MqttProtocolVersion.V311)
        {
            w.WriteByte(ToV311ReturnCode(p.ReasonCode));
            return;
        }

        w.WriteByte((byte)p.ReasonCode);
        WriteProperties(ref w, p.Properties);
    }

    private static MqttReasonCode? FromV311ReturnCode(byte code) => code switch
    {
        0 => MqttReasonCode.Success,
        1 => MqttReasonCode.UnsupportedProtocolVersion,
        2 => MqttReasonCode.ClientIdentifierNotValid,
        3 => MqttReasonCode.ServerUnavailable,
        4 => MqttReasonCode.BadUserNameOrPassword,
        5 => MqttReasonCode.NotAuthorized,
        _ => null,
    };

    private static byte ToV311ReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => 0,
        MqttReasonCode.UnsupportedProtocolVersion => 1,
        MqttReasonCode.ClientIdentifierNotValid => 2,
        MqttReasonCode.ServerUnavailable => 3,
        MqttReasonCode.BadUserNameOrPassword => 4,
        MqttReasonCode.NotAuthorized => 5,
        _ => throw new ArgumentException($"MQTT 3.1.1 CONNACK has no return code for {code.Describe()}.", nameof(code)),
    };

    private static PublishPacket DecodePublish(int flags, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var qos = (flags >> 1) & 0x03;
        var dup = (flags & 0x08) != 0;
        switch (qos)
        {
            case 3:
                throw new MqttProtocolException("Malformed PUBLISH packet: both QoS bits are set (MQTT-3.3.1-4).");
            case 2:
                throw new MqttProtocolException(
                    "Received a QoS 2 PUBLISH; this client supports QoS 0 and 1 only and never subscribes with QoS 2.",
                    MqttReasonCode.QoSNotSupported);
            case 0 when dup:
                throw new MqttProtocolException("Malformed PUBLISH packet: DUP is set on a QoS 0 message (MQTT-3.3.1-2).");
        }

        var r = new MqttSpanReader(body, "PUBLISH");
        var topicAt = r.Position;
        var topic = r.ReadString("topic name");
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw r.Error(topicAt, "topic name", $"'{topic}' contains a wildcard, not allowed in a topic name (MQTT-3.3.2-2)");
        }

        var packetId = qos > 0 ? r.ReadPacketId("packet identifier") : (ushort)0;
        var properties = version == MqttProtocolVersion.V500 ? ReadProperties(ref r, PropertyContext.Publish, "PUBLISH properties") : null;
        if (topic.Length == 0 && properties?.TopicAlias is null)
        {
            throw r.Error(topicAt, "topic name", "the topic name is empty and there is no topic alias (MQTT-4.7.3-1)");
        }

        return new PublishPacket
        {
            Topic = topic,
            PacketId = packetId,
            QualityOfService = (MqttQualityOfService)qos,
            Retain = (flags & 0x01) != 0,
            Dup = dup,
            Payload = r.ReadRest().ToArray(),
            Properties = properties,
        };
    }

    private static void WritePublish(ref MqttSpanWriter w, PublishPacket p, MqttProtocolVersion version)
    {
        if (p.QualityOfService is not (MqttQualityOfService.AtMostOnce or MqttQualityOfService.AtLeastOnce))
        {
            throw new ArgumentException("Only QoS 0 and 1 PUBLISH packets are supported.", nameof(p));
        }

        if (p.QualityOfService != MqttQualityOfService.AtMostOnce && p.PacketId == 0)
        {
            throw new ArgumentException("A QoS 1 PUBLISH needs a non-zero packet identifier (MQTT-2.3.1-1).", nameof(p));
        }

        if (p.Dup && p.QualityOfService == MqttQualityOfService.AtMostOnce)
        {
            throw new ArgumentException("DUP must be 0 for QoS 0 (MQTT-3.3.1-2).", nameof(p));
        }

        w.WriteString(p.Topic);
        if (p.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            w.WriteUInt16(p.PacketId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        w.WriteBytes(p.Payload.Span);
    }

    private static PubAckPacket DecodePubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body, "PUBACK");
        var packetId = r.ReadPacketId("packet identifier");
        var reasonCode = MqttReasonCode.Success;
        MqttProperties? properties = null;

        // MQTT 3.4.2.1: a 5.0 PUBACK may stop after the packet id (Success) or after the reason code (no properties).
        if (version == MqttProtocolVersion.V500 && r.Remaining > 0)
        {
            reasonCode = (MqttReasonCode)r.ReadByte("reason code");
            if (r.Remaining > 0)
            {
                properties = ReadProperties(ref r, PropertyContext.PubAck, "PUBACK properties");
            }
        }

        r.ExpectEnd("end of PUBACK");
        return new PubAckPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties };
    }

    private static void WritePubAck(ref MqttSpanWriter w, PubAckPacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500 && (p.ReasonCode != MqttReasonCode.Success || p.Properties is not null))
        {
            w.WriteByte((byte)p.ReasonCode);
            if (p.Properties is not null)
            {
                WriteProperties(ref w, p.Properties);
            }
        }
    }

    private static SubscribePacket DecodeSubscribe(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body, "SUBSCRIBE");
        var packetId = r.ReadPacketId("packet identifier");
        var properties = version == MqttProtocolVersion.V500 ? ReadProperties(ref r, PropertyContext.Subscribe, "SUBSCRIBE properties") : null;
        var subscriptions = new List<MqttSubscription>();
        do
        {
            var filterAt = r.Position;
            var filter = r.ReadString("topic filter");
            if (MqttTopic.TopicFilterError(filter) is { } filterError)
            {
                throw r.Error(filterAt, "topic filter", filterError.TrimEnd('.'));
            }

            var optionsAt = r.Position;
            var options = r.ReadByte("subscription options");
            var reservedMask = version == MqttProtocolVersion.V311 ? 0xFC : 0xC0;
            var optionsError =
                (options & reservedMask) != 0 ? "reserved bits are set (MQTT 3.8.3.1)"
                : (options & 0x03) == 3 ? "maximum QoS is 3 (MQTT 3.8.3.1)"
                : (options & 0x03) == 2 ? "maximum QoS 2 is not supported by this implementation"
                : ((options >> 4) & 0x03) == 3 ? "retain handling is 3 (MQTT 3.8.3.1)"
                : null;
            if (optionsError is not null)
            {
                throw r.Error(optionsAt, "subscription options", optionsError);
            }

            subscriptions.Add(new MqttSubscription(
                filter,
                (MqttQualityOfService)(options & 0x03),
                NoLocal: (options & 0x04) != 0,
                RetainAsPublished: (options & 0x08) != 0,
                RetainHandling: (byte)((options >> 4) & 0x03)));
        }
        while (r.Remaining > 0);

        return new SubscribePacket { PacketId = packetId, Subscriptions = subscriptions, Properties = properties };
    }

    private static void WriteSubscribe(ref MqttSpanWriter w, SubscribePacket p, MqttProtocolVersion version)
    {
        RequireNotEmpty(p.Subscriptions.Count, "SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3).");
        w.WriteUInt16(RequirePacketId(p.PacketId));
        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        foreach (var s in p.Subscriptions)
        {
            w.WriteString(s.TopicFilter);
            var options = (int)s.MaximumQoS;
            if (version == MqttProtocolVersion.V500)
            {
                options |= (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | ((s.RetainHandling & 0x03) << 4);
            }

            w.WriteByte((byte)options);
        }
    }

    private static SubAckPacket DecodeSubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body, "SUBACK");
        var packetId = r.ReadPacketId("packet identifier");
        var properties = version == MqttProtocolVersion.V500 ? ReadProperties(ref r, PropertyContext.SubAck, "SUBACK properties") : null;
        var codes = new List<MqttReasonCode>();
        while (r.Remaining > 0)
        {
            var codeAt = r.Position;
            var code = r.ReadByte("return code");
            if (version == MqttProtocolVersion.V311 && code is not (0 or 1 or 2 or 0x80))
            {
                throw r.Error(codeAt, "return code", string.Create(CultureInfo.InvariantCulture, $"0x{code:X2} is not 0x00, 0x01, 0x02 or 0x80 (MQTT-3.9.3-2)"));
            }

            codes.Add((MqttReasonCode)code);
        }

        if (codes.Count == 0)
        {
            throw r.Error(r.Position, "return codes", "a SUBACK must carry at least one");
        }

        return new SubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }

    private static void WriteSubAck(ref MqttSpanWriter w, SubAckPacket p, MqttProtocolVersion version)
    {
        RequireNotEmpty(p.ReasonCodes.Count, "SUBACK needs at least one reason code.");
        w.WriteUInt16(RequirePacketId(p.PacketId));
        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        foreach (var code in p.ReasonCodes)
        {
            w.WriteByte(version == MqttProtocolVersion.V311 && code.IsFailure() ? (byte)0x80 : (byte)code);
        }
    }

    private static UnsubscribePacket DecodeUnsubscribe(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body, "UNSUBSCRIBE");
        var packetId = r.ReadPacketId("packet identifier");
        var properties = version == MqttProtocolVersion.V500 ? ReadProperties(ref r, PropertyContext.Unsubscribe, "UNSUBSCRIBE properties") : null;
        var filters = new List<string>();
        do
        {
            var filterAt = r.Position;
            var filter = r.ReadString("topic filter");
            if (MqttTopic.TopicFilterError(filter) is { } filterError)
            {
                throw r.Error(filterAt, "topic filter", filterError.TrimEnd('.'));
            }

            filters.Add(filter);
        }
        while (r.Remaining > 0);

        return new UnsubscribePacket { PacketId = packetId, TopicFilters = filters, Properties = properties };
    }

    private static void WriteUnsubscribe(ref MqttSpanWriter w, UnsubscribePacket p, MqttProtocolVersion version)
    {
        RequireNotEmpty(p.TopicFilters.Count, "UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2).");
        w.WriteUInt16(RequirePacketId(p.PacketId));
        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        foreach (var filter in p.TopicFilters)
        {
            w.WriteString(filter);
        }
    }

    private static UnsubAckPacket DecodeUnsubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body, "UNSUBACK");
        var packetId = r.ReadPacketId("packet identifier");
        if (version == MqttProtocolVersion.V311)
        {
            r.ExpectEnd("end of UNSUBACK");
            return new UnsubAckPacket { PacketId = packetId };
        }

        var properties = ReadProperties(ref r, PropertyContext.UnsubAck, "UNSUBACK properties");
        var codes = new List<MqttReasonCode>();
        while (r.Remaining > 0)
        {
            codes.Add((MqttReasonCode)r.ReadByte("reason code"));
        }

        if (codes.Count == 0)
        {
            throw r.Error(r.Position, "reason codes", "a 5.0 UNSUBACK must carry at least one (MQTT-3.11.3-1)");
        }

        return new UnsubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }

    private static void WriteUnsubAck(ref MqttSpanWriter w, UnsubAckPacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(RequirePacketId(p.PacketId));
        if (version == MqttProtocolVersion.V311)
        {
            return;
        }

        RequireNotEmpty(p.ReasonCodes.Count, "A 5.0 UNSUBACK needs at least one reason code.");
        WriteProperties(ref w, p.Properties);
        foreach (var code in p.ReasonCodes)
        {
            w.WriteByte((byte)code);
        }
    }

    private static DisconnectPacket DecodeDisconnect(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body, "DISCONNECT");
        var reasonCode = MqttReasonCode.Success;
        MqttProperties? properties = null;

        // MQTT 3.14.2.1: reason code and properties may be omitted in 5.0; 3.1.1 DISCONNECT has no body.
        if (version == MqttProtocolVersion.V500 && r.Remaining > 0)
        {
            reasonCode = (MqttReasonCode)r.ReadByte("reason code");
            if (r.Remaining > 0)
            {
                properties = ReadProperties(ref r, PropertyContext.Disconnect, "DISCONNECT properties");
            }
        }

        r.ExpectEnd("end of DISCONNECT");
        return new DisconnectPacket { ReasonCode = reasonCode, Properties = properties };
    }

    private static void WriteDisconnect(ref MqttSpanWriter w, DisconnectPacket p, MqttProtocolVersion version)
    {
        if (version == MqttProtocolVersion.V500 && (p.ReasonCode != MqttReasonCode.Success || p.Properties is not null))
        {
            w.WriteByte((byte)p.ReasonCode);
            if (p.Properties is not null)
            {
                WriteProperties(ref w, p.Properties);
            }
        }
    }

    private static string? MqttTopicError(string topic) =>
        topic.Length == 0 ? "the topic name is empty (MQTT-4.7.3-1)"
        : topic.AsSpan().IndexOfAny('+', '#') >= 0 ? $"'{topic}' contains a wildcard (MQTT-3.3.2-2)"
        : null;

    private static ushort RequirePacketId(ushort packetId) =>
        packetId != 0 ? packetId : throw new ArgumentException("Packet identifier 0 is not allowed (MQTT-2.3.1-1).", nameof(packetId));

    private static void RequireNotEmpty(int count, string message)
    {
        if (count == 0)
        {
            throw new ArgumentException(message, nameof(count));
        }
    }
}
