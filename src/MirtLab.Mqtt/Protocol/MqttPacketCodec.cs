using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MirtLab.Mqtt.Protocol;

/// <summary>
/// Encodes and decodes MQTT 3.1.1 and 5.0 control packets. Pure: spans in, packets out. Decoding throws only
/// <see cref="MqttProtocolException"/>, whatever the bytes; encoding throws <see cref="ArgumentException"/>
/// for values MQTT cannot carry.
/// </summary>
internal static partial class MqttPacketCodec
{
    /// <summary>MQTT 2.2.3: the largest remaining length a four-byte variable byte integer holds.</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>
    /// Reads the fixed header (MQTT 2.2): false when <paramref name="buffer"/> is too short to tell;
    /// throws when the remaining length is malformed.
    /// </summary>
    public static bool TryReadFixedHeader(ReadOnlySpan<byte> buffer, out int headerLength, out int remainingLength)
    {
        headerLength = 0;
        remainingLength = 0;
        var value = 0;
        for (var i = 1; i <= 4; i++)
        {
            if (i >= buffer.Length)
            {
                return false;
            }

            var b = buffer[i];
            value |= (b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0)
            {
                headerLength = i + 1;
                remainingLength = value;
                return true;
            }
        }

        throw new MqttProtocolException("Malformed packet: the remaining length in the fixed header is longer than 4 bytes (MQTT 2.2.3).");
    }

    /// <summary>
    /// Decodes one packet from the start of <paramref name="buffer"/>: false (and nothing consumed) when more
    /// bytes are needed. <paramref name="maximumPacketSize"/> bounds the whole packet, fixed header included.
    /// </summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> buffer,
        MqttProtocolVersion version,
        int maximumPacketSize,
        [NotNullWhen(true)] out MqttPacket? packet,
        out int consumed)
    {
        packet = null;
        consumed = 0;
        if (!TryReadFixedHeader(buffer, out var headerLength, out var remainingLength))
        {
            return false;
        }

        var total = (long)headerLength + remainingLength;
        if (total > maximumPacketSize)
        {
            throw new MqttProtocolException(
                string.Create(CultureInfo.InvariantCulture, $"Packet of {total} bytes exceeds the maximum packet size of {maximumPacketSize} bytes."),
                MqttReasonCode.PacketTooLarge);
        }

        if (buffer.Length < total)
        {
            return false;
        }

        packet = DecodeBody(buffer[0], buffer.Slice(headerLength, remainingLength), version);
        consumed = (int)total;
        return true;
    }

    /// <summary>Decodes a complete packet (fixed header included) that must span exactly <paramref name="packet"/>.</summary>
    public static MqttPacket Decode(ReadOnlySpan<byte> packet, MqttProtocolVersion version)
    {
        if (!TryDecode(packet, version, int.MaxValue, out var decoded, out var consumed))
        {
            throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture, $"Malformed packet: {packet.Length} byte(s) are not a complete packet."));
        }

        return consumed == packet.Length
            ? decoded
            : throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture, $"Malformed packet: {packet.Length - consumed} byte(s) after the end of the {decoded} packet."));
    }

    public static MqttPacket DecodeBody(byte fixedHeader, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var type = (MqttPacketType)(fixedHeader >> 4);
        var flags = fixedHeader & 0x0F;
        switch (type)
        {
            case MqttPacketType.Publish:
                return DecodePublish(flags, body, version);
            case MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp:
                throw new MqttProtocolException(
                    $"Received {type.ToString().ToUpperInvariant()}, a QoS 2 packet; this client supports QoS 0 and 1 only and never asks for QoS 2.",
                    MqttReasonCode.QoSNotSupported);
            case MqttPacketType.Auth:
                throw new MqttProtocolException("Received AUTH: enhanced authentication (MQTT 4.12) is not supported.", MqttReasonCode.ProtocolError);
            case 0:
                throw new MqttProtocolException("Malformed packet: packet type 0 is reserved (MQTT 2.1.2).");
        }

        // MQTT-2.2.2-2: SUBSCRIBE and UNSUBSCRIBE carry flags 0010, every other non-PUBLISH packet 0000.
        var expectedFlags = type is MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0b0010 : 0;
        if (flags != expectedFlags)
        {
            throw new MqttProtocolException(string.Create(
                CultureInfo.InvariantCulture,
                $"Malformed {type.ToString().ToUpperInvariant()} packet: fixed header flags are 0x{flags:X}, must be 0x{expectedFlags:X} (MQTT-2.2.2-2)."));
        }

        return type switch
        {
            MqttPacketType.Connect => DecodeConnect(body),
            MqttPacketType.ConnAck => DecodeConnAck(body, version),
            MqttPacketType.PubAck => DecodePubAck(body, version),
            MqttPacketType.Subscribe => DecodeSubscribe(body, version),
            MqttPacketType.SubAck => DecodeSubAck(body, version),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(body, version),
            MqttPacketType.UnsubAck => DecodeUnsubAck(body, version),
            MqttPacketType.PingReq => DecodeEmpty(body, "PINGREQ", PingReqPacket.Instance),
            MqttPacketType.PingResp => DecodeEmpty(body, "PINGRESP", PingRespPacket.Instance),
            _ => DecodeDisconnect(body, version),
        };
    }

    /// <summary>Appends the encoded packet to <paramref name="output"/>.</summary>
    public static void Encode(IBufferWriter<byte> output, MqttPacket packet, MqttProtocolVersion version)
    {
        var total = GetEncodedLength(packet, version, out var bodyLength);
        var span = output.GetSpan(total);
        var writer = new MqttSpanWriter(span);
        writer.WriteByte(FixedHeader(packet));
        writer.WriteVariableByteInteger(bodyLength);
        WriteBody(ref writer, packet, version);
        output.Advance(total);
    }

    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        Encode(output, packet, version);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Size of the whole packet; also validates everything <see cref="Encode(IBufferWriter{byte}, MqttPacket, MqttProtocolVersion)"/> would.</summary>
    public static int GetEncodedLength(MqttPacket packet, MqttProtocolVersion version) => GetEncodedLength(packet, version, out _);

    private static int GetEncodedLength(MqttPacket packet, MqttProtocolVersion version, out int bodyLength)
    {
        RequireVersion(version);
        var counter = MqttSpanWriter.Counter();
        WriteBody(ref counter, packet, version);
        bodyLength = counter.Position;
        if (bodyLength > MaxRemainingLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A {packet} packet of {bodyLength} bytes exceeds MQTT's limit of {MaxRemainingLength} (MQTT 2.2.3)."),
                nameof(packet));
        }

        return 1 + MqttSpanWriter.VariableByteIntegerSize(bodyLength) + bodyLength;
    }

    private static byte FixedHeader(MqttPacket packet) => packet switch
    {
        PublishPacket p => (byte)(0x30 | (p.Dup ? 0x08 : 0) | ((int)p.QualityOfService << 1) | (p.Retain ? 0x01 : 0)),
        SubscribePacket or UnsubscribePacket => (byte)(((int)packet.Type << 4) | 0b0010),
        _ => (byte)((int)packet.Type << 4),
    };

    private static void WriteBody(ref MqttSpanWriter writer, MqttPacket packet, MqttProtocolVersion version)
    {
        switch (packet)
        {
            case ConnectPacket p:
                WriteConnect(ref writer, p);
                break;
            case ConnAckPacket p:
                WriteConnAck(ref writer, p, version);
                break;
            case PublishPacket p:
                WritePublish(ref writer, p, version);
                break;
            case PubAckPacket p:
                WritePubAck(ref writer, p, version);
                break;
            case SubscribePacket p:
                WriteSubscribe(ref writer, p, version);
                break;
            case SubAckPacket p:
                WriteSubAck(ref writer, p, version);
                break;
            case UnsubscribePacket p:
                WriteUnsubscribe(ref writer, p, version);
                break;
            case UnsubAckPacket p:
                WriteUnsubAck(ref writer, p, version);
                break;
            case PingReqPacket or PingRespPacket:
                break;
            case DisconnectPacket p:
                WriteDisconnect(ref writer, p, version);
                break;
            default:
                throw new ArgumentException($"Cannot encode {packet.GetType().Name}.", nameof(packet));
        }
    }

    private static void RequireVersion(MqttProtocolVersion version)
    {
        if (version is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Packets are encoded for V311 or V500, not Auto.");
        }
    }

    private static PingReqPacket DecodeEmpty(ReadOnlySpan<byte> body, string name, PingReqPacket instance)
    {
        new MqttSpanReader(body, name).ExpectEnd("end of packet");
        return instance;
    }

    private static PingRespPacket DecodeEmpty(ReadOnlySpan<byte> body, string name, PingRespPacket instance)
    {
        new MqttSpanReader(body, name).ExpectEnd("end of packet");
        return instance;
    }
}
