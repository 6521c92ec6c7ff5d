using System.Globalization;

namespace MirtLab.Mqtt.Protocol;

internal static partial class MqttPacketCodec
{
    [Flags]
    private enum PropertyContext
    {
        None = 0,
        Connect = 1 << 0,
        Will = 1 << 1,
        ConnAck = 1 << 2,
        Publish = 1 << 3,
        PubAck = 1 << 4,
        Subscribe = 1 << 5,
        SubAck = 1 << 6,
        Unsubscribe = 1 << 7,
        UnsubAck = 1 << 8,
        Disconnect = 1 << 9,
        All = Connect | Will | ConnAck | Publish | PubAck | Subscribe | SubAck | Unsubscribe | UnsubAck | Disconnect,
    }

    private const int UserPropertyId = 0x26;
    private const int SubscriptionIdentifierId = 0x0B;

    /// <summary>MQTT 2.2.2.2: the packets in which each property identifier may appear (AUTH is not supported).</summary>
    private static PropertyContext AllowedIn(int id) => id switch
    {
        0x01 or 0x02 or 0x03 or 0x08 or 0x09 => PropertyContext.Publish | PropertyContext.Will,
        SubscriptionIdentifierId => PropertyContext.Publish | PropertyContext.Subscribe,
        0x11 => PropertyContext.Connect | PropertyContext.ConnAck | PropertyContext.Disconnect,
        0x12 or 0x13 or 0x1A or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A => PropertyContext.ConnAck,
        0x15 or 0x16 or 0x21 or 0x22 or 0x27 => PropertyContext.Connect | PropertyContext.ConnAck,
        0x17 or 0x19 => PropertyContext.Connect,
        0x18 => PropertyContext.Will,
        0x1C => PropertyContext.ConnAck | PropertyContext.Disconnect,
        0x1F => PropertyContext.ConnAck | PropertyContext.PubAck | PropertyContext.SubAck | PropertyContext.UnsubAck | PropertyContext.Disconnect,
        0x23 => PropertyContext.Publish,
        UserPropertyId => PropertyContext.All,
        _ => PropertyContext.None,
    };

    private static MqttProperties? ReadProperties(ref MqttSpanReader r, PropertyContext context, string what)
    {
        var lengthAt = r.Position;
        var length = r.ReadVariableByteInteger(what + " length");
        if (length == 0)
        {
            return null;
        }

        if (length > r.Remaining)
        {
            throw r.Error(lengthAt, what + " length", string.Create(CultureInfo.InvariantCulture, $"{length} bytes of properties announced, {r.Remaining} left in the packet"));
        }

        var end = r.Position + length;
        var p = new MqttProperties();
        ulong seen = 0;
        while (r.Position < end)
        {
            var at = r.Position;
            var id = r.ReadVariableByteInteger("property identifier");
            var name = string.Create(CultureInfo.InvariantCulture, $"property 0x{id:X2}");
            var allowed = AllowedIn(id);
            if (allowed == PropertyContext.None)
            {
                throw r.Error(at, what, $"{name} is not an MQTT 5.0 property");
            }

            if ((allowed & context) == 0)
            {
                throw r.Error(at, what, $"{name} is not allowed here (MQTT 2.2.2.2)", MqttReasonCode.ProtocolError);
            }

            var repeatable = id == UserPropertyId || (id == SubscriptionIdentifierId && context == PropertyContext.Publish);
            if (!repeatable)
            {
                var bit = 1UL << id;
                if ((seen & bit) != 0)
                {
                    throw r.Error(at, what, $"{name} appears twice (MQTT 2.2.2.2)", MqttReasonCode.ProtocolError);
                }

                seen |= bit;
            }

            switch (id)
            {
                case 0x01:
                    p.PayloadFormatIndicator = ReadFlag(ref r, name);
                    break;
                case 0x02:
                    p.MessageExpiryInterval = r.ReadUInt32(name);
                    break;
                case 0x03:
                    p.ContentType = r.ReadString(name);
                    break;
                case 0x08:
                    p.ResponseTopic = r.ReadString(name);
                    break;
                case 0x09:
                    p.CorrelationData = r.ReadBinaryData(name);
                    break;
                case SubscriptionIdentifierId:
                    var subscriptionId = r.ReadVariableByteInteger(name);
                    (p.SubscriptionIdentifiers ??= []).Add(subscriptionId != 0 ? (uint)subscriptionId : throw r.Error(at, name, "subscription identifier 0 (MQTT-3.8.2.1.2)", MqttReasonCode.ProtocolError));
                    break;
                case 0x11:
                    p.SessionExpiryInterval = r.ReadUInt32(name);
                    break;
                case 0x12:
                    p.AssignedClientIdentifier = r.ReadString(name);
                    break;
                case 0x13:
                    p.ServerKeepAlive = r.ReadUInt16(name);
                    break;
                case 0x15:
                    p.AuthenticationMethod = r.ReadString(name);
                    break;
                case 0x16:
                    p.AuthenticationData = r.ReadBinaryData(name);
                    break;
                case 0x17:
                    p.RequestProblemInformation = ReadFlag(ref r, name);
                    break;
                case 0x18:
                    p.WillDelayInterval = r.ReadUInt32(name);
                    break;
                case 0x19:
                    p.RequestResponseInformation = ReadFlag(ref r, name);
                    break;
                case 0x1A:
                    p.ResponseInformation = r.ReadString(name);
                    break;
                case 0x1C:
                    p.ServerReference = r.ReadString(name);
                    break;
                case 0x1F:
                    p.ReasonString = r.ReadString(name);
                    break;
                case 0x21:
                    p.ReceiveMaximum = ReadNonZeroUInt16(ref r, name, "receive maximum 0 (MQTT 3.1.2.11.3)");
                    break;
                case 0x22:
                    p.TopicAliasMaximum = r.ReadUInt16(name);
                    break;
                case 0x23:
                    p.TopicAlias = ReadNonZeroUInt16(ref r, name, "topic alias 0 (MQTT-3.3.2-8)");
                    break;
                case 0x24:
                    p.MaximumQoS = ReadFlag(ref r, name);
                    break;
                case 0x25:
                    p.RetainAvailable = ReadFlag(ref r, name);
                    break;
                case UserPropertyId:
                    var propertyName = r.ReadString("user property name");
                    (p.UserProperties ??= []).Add(new MqttUserProperty(propertyName, r.ReadString("user property value")));
                    break;
                case 0x27:
                    var maximumPacketSize = r.ReadUInt32(name);
                    p.MaximumPacketSize = maximumPacketSize != 0 ? maximumPacketSize : throw r.Error(at, name, "maximum packet size 0 (MQTT 3.1.2.11.4)", MqttReasonCode.ProtocolError);
                    break;
                case 0x28:
                    p.WildcardSubscriptionAvailable = ReadFlag(ref r, name);
                    break;
                case 0x29:
                    p.SubscriptionIdentifierAvailable = ReadFlag(ref r, name);
                    break;
                default:
                    p.SharedSubscriptionAvailable = ReadFlag(ref r, name);
                    break;
            }
        }

        if (r.Position != end)
        {
            throw r.Error(lengthAt, what, string.Create(CultureInfo.InvariantCulture, $"the last property runs {r.Position - end} byte(s) past the announced length of {length}"));
        }

        return p;
    }

    private static byte ReadFlag(ref MqttSpanReader r, string name)
    {
        var at = r.Position;
        var value = r.ReadByte(name);
        return value <= 1 ? value : throw r.Error(at, name, string.Create(CultureInfo.InvariantCulture, $"value {value} where only 0 or 1 is allowed"), MqttReasonCode.ProtocolError);
    }

    private static ushort ReadNonZeroUInt16(ref MqttSpanReader r, string name, string problem)
    {
        var at = r.Position;
        var value = r.ReadUInt16(name);
        return value != 0 ? value : throw r.Error(at, name, problem, MqttReasonCode.ProtocolError);
    }

    private static void WriteProperties(ref MqttSpanWriter w, MqttProperties? p)
    {
        if (p is null)
        {
            w.WriteVariableByteInteger(0);
            return;
        }

        var counter = MqttSpanWriter.Counter();
        WritePropertyList(ref counter, p);
        w.WriteVariableByteInteger(counter.Position);
        WritePropertyList(ref w, p);
    }

    private static void WritePropertyList(ref MqttSpanWriter w, MqttProperties p)
    {
        WriteByteProperty(ref w, 0x01, p.PayloadFormatIndicator);
        WriteUInt32Property(ref w, 0x02, p.MessageExpiryInterval);
        WriteStringProperty(ref w, 0x03, p.ContentType);
        WriteStringProperty(ref w, 0x08, p.ResponseTopic);
        WriteBinaryProperty(ref w, 0x09, p.CorrelationData);
        foreach (var subscriptionId in p.SubscriptionIdentifiers ?? [])
        {
            if (subscriptionId is 0 or > MaxRemainingLength)
            {
                throw new ArgumentException("A subscription identifier is 1 to 268,435,455 (MQTT 3.8.2.1.2).", nameof(p));
            }

            w.WriteByte(SubscriptionIdentifierId);
            w.WriteVariableByteInteger((int)subscriptionId);
        }

        WriteUInt32Property(ref w, 0x11, p.SessionExpiryInterval);
        WriteStringProperty(ref w, 0x12, p.AssignedClientIdentifier);
        WriteUInt16Property(ref w, 0x13, p.ServerKeepAlive);
        WriteStringProperty(ref w, 0x15, p.AuthenticationMethod);
        WriteBinaryProperty(ref w, 0x16, p.AuthenticationData);
        WriteByteProperty(ref w, 0x17, p.RequestProblemInformation);
        WriteUInt32Property(ref w, 0x18, p.WillDelayInterval);
        WriteByteProperty(ref w, 0x19, p.RequestResponseInformation);
        WriteStringProperty(ref w, 0x1A, p.ResponseInformation);
        WriteStringProperty(ref w, 0x1C, p.ServerReference);
        WriteStringProperty(ref w, 0x1F, p.ReasonString);
        WriteUInt16Property(ref w, 0x21, p.ReceiveMaximum);
        WriteUInt16Property(ref w, 0x22, p.TopicAliasMaximum);
        WriteUInt16Property(ref w, 0x23, p.TopicAlias);
        WriteByteProperty(ref w, 0x24, p.MaximumQoS);
        WriteByteProperty(ref w, 0x25, p.RetainAvailable);
        foreach (var property in p.UserProperties ?? [])
        {
            w.WriteByte(UserPropertyId);
            w.WriteString(property.Name);
            w.WriteString(property.Value);
        }

        WriteUInt32Property(ref w, 0x27, p.MaximumPacketSize);
        WriteByteProperty(ref w, 0x28, p.WildcardSubscriptionAvailable);
        WriteByteProperty(ref w, 0x29, p.SubscriptionIdentifierAvailable);
        WriteByteProperty(ref w, 0x2A, p.SharedSubscriptionAvailable);
    }

    private static void WriteByteProperty(ref MqttSpanWriter w, byte id, byte? value)
    {
        if (value is { } v)
        {
            w.WriteByte(id);
            w.WriteByte(v);
        }
    }

    private static void WriteUInt16Property(ref MqttSpanWriter w, byte id, ushort? value)
    {
        if (value is { } v)
        {
            w.WriteByte(id);
            w.WriteUInt16(v);
        }
    }

    private static void WriteUInt32Property(ref MqttSpanWriter w, byte id, uint? value)
    {
        if (value is { } v)
        {
            w.WriteByte(id);
            w.WriteUInt32(v);
        }
    }

    private static void WriteStringProperty(ref MqttSpanWriter w, byte id, string? value)
    {
        if (value is not null)
        {
            w.WriteByte(id);
            w.WriteString(value);
        }
    }

    private static void WriteBinaryProperty(ref MqttSpanWriter w, byte id, ReadOnlyMemory<byte>? value)
    {
        if (value is { } v)
        {
            w.WriteByte(id);
            w.WriteBinaryData(v.Span);
        }
    }
}
