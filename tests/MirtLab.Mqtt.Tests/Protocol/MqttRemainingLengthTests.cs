using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Protocol;

/// <summary>MQTT 1.5.5 / 2.2.3: the variable byte integer at each boundary where it grows a byte.</summary>
public sealed class MqttRemainingLengthTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void VariableByteInteger_EncodesAndReadsBackAtBoundaries(int value, string hex)
    {
        var buffer = new byte[4];
        var writer = new MqttSpanWriter(buffer);

        writer.WriteVariableByteInteger(value);

        Assert.Equal(hex, Convert.ToHexString(buffer.AsSpan(0, writer.Position)));
        Assert.Equal(hex.Length / 2, MqttSpanWriter.VariableByteIntegerSize(value));
        byte[] header = [0x30, .. buffer.AsSpan(0, writer.Position)];
        Assert.True(MqttPacketCodec.TryReadFixedHeader(header, out var headerLength, out var remainingLength));
        Assert.Equal(value, remainingLength);
        Assert.Equal(header.Length, headerLength);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void VariableByteInteger_OutsideItsRange_IsRefused(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var writer = new MqttSpanWriter(new byte[8]);
            writer.WriteVariableByteInteger(value);
        });
    }

    [Fact]
    public void RemainingLength_WithAFifthByte_IsMalformed()
    {
        byte[] header = [0x30, 0x80, 0x80, 0x80, 0x80, 0x01];

        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.TryReadFixedHeader(header, out _, out _));

        Assert.Contains("longer than 4 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(2_097_151)]
    [InlineData(2_097_152)]
    public void Publish_WithBodyAtBoundary_RoundTripsWithTheRightHeader(int bodyLength)
    {
        // Topic "t" takes 3 bytes of the body; QoS 0 has no packet id; 3.1.1 has no properties.
        var payload = new byte[bodyLength - 3];
        payload.AsSpan().Fill(0xA5);
        var packet = new PublishPacket { Topic = "t", Payload = payload };

        var bytes = MqttPacketCodec.Encode(packet, MqttProtocolVersion.V311);
        var decoded = Assert.IsType<PublishPacket>(MqttPacketCodec.Decode(bytes, MqttProtocolVersion.V311));

        Assert.Equal(1 + MqttSpanWriter.VariableByteIntegerSize(bodyLength) + bodyLength, bytes.Length);
        Assert.True(MqttPacketCodec.TryReadFixedHeader(bytes, out _, out var remainingLength));
        Assert.Equal(bodyLength, remainingLength);
        Assert.True(decoded.Payload.Span.SequenceEqual(payload));
    }
}
