using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Protocol;

/// <summary>MQTT 1.5.4: UTF-8 strings, checked on the way in (MqttProtocolException) and out (ArgumentException).</summary>
public sealed class MqttStringTests
{
    [Theory]
    [InlineData("µg/L")]
    [InlineData("Zürich/Labor/Gerät")]
    [InlineData("𝄞 outside the BMP")]
    [InlineData("\uFEFFstarts with a BOM")]
    public void Topic_WithAnyValidUnicode_RoundTripsUnchanged(string topic)
    {
        var bytes = MqttPacketCodec.Encode(new PublishPacket { Topic = topic }, MqttProtocolVersion.V311);

        var decoded = Assert.IsType<PublishPacket>(MqttPacketCodec.Decode(bytes, MqttProtocolVersion.V311));

        // MQTT-1.5.4-3: a leading U+FEFF is kept, not stripped.
        Assert.Equal(topic, decoded.Topic);
    }

    [Theory]
    [InlineData("C328", "not well-formed UTF-8")]
    [InlineData("C080", "not well-formed UTF-8")]
    [InlineData("EDA080", "not well-formed UTF-8")]
    [InlineData("F4908080", "not well-formed UTF-8")]
    [InlineData("FF", "not well-formed UTF-8")]
    [InlineData("6100", "U+0000")]
    public void Topic_WithBadUtf8_IsMalformedAtItsOffset(string topicHex, string expected)
    {
        var topic = Convert.FromHexString(topicHex);
        byte[] packet = [0x30, (byte)(2 + topic.Length), 0x00, (byte)topic.Length, .. topic];

        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(packet, MqttProtocolVersion.V311));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("topic name at body byte 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void String_Of65535Bytes_RoundTrips()
    {
        var topic = new string('x', 65535);

        var bytes = MqttPacketCodec.Encode(new PublishPacket { Topic = topic }, MqttProtocolVersion.V311);

        Assert.Equal(topic, Assert.IsType<PublishPacket>(MqttPacketCodec.Decode(bytes, MqttProtocolVersion.V311)).Topic);
    }

    [Theory]
    [InlineData("too long")]
    [InlineData("lone surrogate")]
    [InlineData("null character")]
    public void String_MqttCannotCarry_IsRefusedWhenEncoding(string what)
    {
        var topic = what switch
        {
            "too long" => new string('ü', 32768),
            "lone surrogate" => "a\uD800b",
            _ => "a\0b",
        };

        Assert.ThrowsAny<ArgumentException>(() => MqttPacketCodec.Encode(new PublishPacket { Topic = topic }, MqttProtocolVersion.V311));
    }

    [Fact]
    public void UserProperty_WithMultiByteCharacters_KeepsBothNameAndValue()
    {
        var packet = new PubAckPacket
        {
            PacketId = 1,
            ReasonCode = MqttReasonCode.Success,
            Properties = new MqttProperties { UserProperties = [new("Größe", "ß€𝄞")] },
        };

        var decoded = Assert.IsType<PubAckPacket>(MqttPacketCodec.Decode(MqttPacketCodec.Encode(packet, MqttProtocolVersion.V500), MqttProtocolVersion.V500));

        Assert.Equal(new MqttUserProperty("Größe", "ß€𝄞"), Assert.Single(decoded.Properties!.UserProperties!));
    }
}
