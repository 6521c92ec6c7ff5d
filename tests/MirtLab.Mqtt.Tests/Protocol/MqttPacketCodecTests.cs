using System.Buffers;
using System.Text;
using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Protocol;

public sealed class MqttPacketCodecTests
{
    public static TheoryData<string, MqttProtocolVersion> Packets => SamplePackets.NamesAndVersions();

    [Theory]
    [MemberData(nameof(Packets))]
    public void Packet_EncodedDecodedEncoded_GivesTheSameBytes(string name, MqttProtocolVersion version)
    {
        var original = SamplePackets.Create(name, version);
        var bytes = MqttPacketCodec.Encode(original, version);

        var decoded = MqttPacketCodec.Decode(bytes, version);

        Assert.Equal(original.Type, decoded.Type);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(MqttPacketCodec.Encode(decoded, version)));
        Assert.Equal(bytes.Length, MqttPacketCodec.GetEncodedLength(original, version));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "100C00044D5154540402000000 00")]
    [InlineData(MqttProtocolVersion.V500, "100D00044D5154540502000000 0000")]
    public void ConnectMinimal_MatchesTheSpecificationLayout(MqttProtocolVersion version, string hex)
    {
        var bytes = SamplePackets.Encode("CONNECT minimal", version);

        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), Convert.ToHexString(bytes));
    }

    [Theory]
    [InlineData("PINGREQ", MqttProtocolVersion.V311, "C000")]
    [InlineData("PINGRESP", MqttProtocolVersion.V500, "D000")]
    [InlineData("DISCONNECT", MqttProtocolVersion.V311, "E000")]
    [InlineData("DISCONNECT", MqttProtocolVersion.V500, "E000")]
    [InlineData("PUBACK", MqttProtocolVersion.V311, "40020001")]
    [InlineData("PUBACK", MqttProtocolVersion.V500, "40020001")]
    [InlineData("PUBACK with reason", MqttProtocolVersion.V500, "4003000210")]
    [InlineData("CONNACK accepted", MqttProtocolVersion.V311, "20020100")]
    [InlineData("CONNACK accepted", MqttProtocolVersion.V500, "2003010000")]
    [InlineData("CONNACK refused", MqttProtocolVersion.V311, "20020004")]
    [InlineData("CONNACK refused", MqttProtocolVersion.V500, "2003008600")]
    [InlineData("SUBACK", MqttProtocolVersion.V311, "9005000A010080")]
    [InlineData("UNSUBACK", MqttProtocolVersion.V311, "B002000C")]
    public void Packet_EncodesToTheBytesOfTheSpecification(string name, MqttProtocolVersion version, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(SamplePackets.Encode(name, version)));
    }

    [Fact]
    public void PublishQoS1_HasDupQoSAndRetainBitsInTheFixedHeader()
    {
        var bytes = SamplePackets.Encode("PUBLISH QoS1 dup retain empty payload", MqttProtocolVersion.V311);

        // 0011 1 01 1: PUBLISH, DUP, QoS 1, RETAIN; topic "a", packet id 65535, no payload.
        Assert.Equal("3B05000161FFFF", Convert.ToHexString(bytes));
    }

    [Fact]
    public void PublishV5_DecodesEveryProperty()
    {
        var bytes = SamplePackets.Encode("PUBLISH full", MqttProtocolVersion.V500);

        var publish = Assert.IsType<PublishPacket>(MqttPacketCodec.Decode(bytes, MqttProtocolVersion.V500));

        Assert.Equal("mirtlab/v1/results/µg", publish.Topic);
        Assert.Equal(7, publish.PacketId);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, publish.QualityOfService);
        Assert.Equal("{\"analyte\":\"tacrolimus\",\"value\":7.4}", Encoding.UTF8.GetString(publish.Payload.Span));
        var p = Assert.IsType<MqttProperties>(publish.Properties);
        Assert.Equal((byte)1, p.PayloadFormatIndicator);
        Assert.Equal(600u, p.MessageExpiryInterval);
        Assert.Equal("application/json", p.ContentType);
        Assert.Equal("mirtlab/v1/acks", p.ResponseTopic);
        Assert.Equal(new byte[] { 0xDE, 0xAD }, p.CorrelationData!.Value.ToArray());
        Assert.Equal([1u, 268435455u], p.SubscriptionIdentifiers!);
        Assert.Equal([new MqttUserProperty("run", "R-17"), new MqttUserProperty("run", "R-18")], p.UserProperties!);
    }

    [Fact]
    public void ConnectV5_DecodesWillAndSessionProperties()
    {
        var bytes = SamplePackets.Encode("CONNECT full", MqttProtocolVersion.V500);

        var connect = Assert.IsType<ConnectPacket>(MqttPacketCodec.Decode(bytes, MqttProtocolVersion.V311));

        Assert.Equal(MqttProtocolVersion.V500, connect.ProtocolVersion);
        Assert.Equal("mirtlab-worker-01", connect.ClientId);
        Assert.False(connect.CleanStart);
        Assert.Equal(30, connect.KeepAliveSeconds);
        Assert.Equal("lab", connect.Username);
        Assert.Equal("s3cret µ", Encoding.UTF8.GetString(connect.Password!.Value.Span));
        Assert.Equal(86400u, connect.Properties!.SessionExpiryInterval);
        Assert.Equal((ushort)64, connect.Properties.ReceiveMaximum);
        var will = Assert.IsType<ConnectWill>(connect.Will);
        Assert.Equal("mirtlab/v1/status/worker-01", will.Topic);
        Assert.True(will.Retain);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, will.QualityOfService);
        Assert.Equal(5u, will.Properties!.WillDelayInterval);
        Assert.Equal([new MqttUserProperty("site", "Zürich")], will.Properties.UserProperties!);
    }

    [Fact]
    public void ConnectV311_DropsAllProperties()
    {
        var bytes = SamplePackets.Encode("CONNECT full", MqttProtocolVersion.V311);

        var connect = Assert.IsType<ConnectPacket>(MqttPacketCodec.Decode(bytes, MqttProtocolVersion.V311));

        Assert.Equal(MqttProtocolVersion.V311, connect.ProtocolVersion);
        Assert.Null(connect.Properties);
        Assert.Null(connect.Will!.Properties);
        Assert.Equal("offline", Encoding.UTF8.GetString(connect.Will.Payload.Span));
    }

    [Theory]
    [InlineData(1, MqttReasonCode.UnsupportedProtocolVersion)]
    [InlineData(2, MqttReasonCode.ClientIdentifierNotValid)]
    [InlineData(3, MqttReasonCode.ServerUnavailable)]
    [InlineData(4, MqttReasonCode.BadUserNameOrPassword)]
    [InlineData(5, MqttReasonCode.NotAuthorized)]
    public void ConnAckV311ReturnCode_MapsToTheV5ReasonName(byte returnCode, MqttReasonCode expected)
    {
        var connAck = Assert.IsType<ConnAckPacket>(MqttPacketCodec.Decode([0x20, 0x02, 0x00, returnCode], MqttProtocolVersion.V311));

        Assert.Equal(expected, connAck.ReasonCode);
    }

    [Fact]
    public void ConnAckV311AnsweringAV5Connect_IsReadAsUnsupportedProtocolVersion()
    {
        // What a 3.1.1-only broker sends to a 5.0 CONNECT: the basis of the Auto fallback.
        var connAck = Assert.IsType<ConnAckPacket>(MqttPacketCodec.Decode([0x20, 0x02, 0x00, 0x01], MqttProtocolVersion.V500));

        Assert.Equal(MqttReasonCode.UnsupportedProtocolVersion, connAck.ReasonCode);
    }

    [Fact]
    public void ConnAckV5WithoutProperties_IsAccepted()
    {
        var connAck = Assert.IsType<ConnAckPacket>(MqttPacketCodec.Decode([0x20, 0x02, 0x01, 0x00], MqttProtocolVersion.V500));

        Assert.True(connAck.SessionPresent);
        Assert.Null(connAck.Properties);
    }

    [Theory]
    [InlineData("40020001", MqttReasonCode.Success)]
    [InlineData("4003000187", MqttReasonCode.NotAuthorized)]
    [InlineData("400400019700", MqttReasonCode.QuotaExceeded)]
    public void PubAckV5_ShortFormsCarryTheirReasonCode(string hex, MqttReasonCode expected)
    {
        var ack = Assert.IsType<PubAckPacket>(MqttPacketCodec.Decode(Convert.FromHexString(hex), MqttProtocolVersion.V500));

        Assert.Equal(expected, ack.ReasonCode);
    }

    [Fact]
    public void TryDecode_StopsAfterOnePacketAndReportsWhatItConsumed()
    {
        byte[] two = [.. SamplePackets.Encode("PUBACK", MqttProtocolVersion.V311), .. SamplePackets.Encode("PINGRESP", MqttProtocolVersion.V311)];

        Assert.True(MqttPacketCodec.TryDecode(two, MqttProtocolVersion.V311, 1024, out var first, out var consumed));
        Assert.IsType<PubAckPacket>(first);
        Assert.Equal(4, consumed);
        Assert.True(MqttPacketCodec.TryDecode(two.AsSpan(consumed), MqttProtocolVersion.V311, 1024, out var second, out _));
        Assert.IsType<PingRespPacket>(second);
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void TryDecode_EveryProperPrefix_AsksForMoreBytes(string name, MqttProtocolVersion version)
    {
        var bytes = SamplePackets.Encode(name, version);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(MqttPacketCodec.TryDecode(bytes.AsSpan(0, length), version, int.MaxValue, out _, out var consumed));
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void TryDecode_PacketLargerThanTheMaximum_IsRejectedBeforeItsBodyArrives()
    {
        // Header of a 2 MB PUBLISH, no body yet.
        byte[] header = [0x30, 0x80, 0x80, 0x80, 0x01];

        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.TryDecode(header, MqttProtocolVersion.V311, 1024 * 1024, out _, out _));

        Assert.Equal(MqttReasonCode.PacketTooLarge, ex.ReasonCode);
        Assert.Contains("maximum packet size of 1048576", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_AppendsToABufferWriter()
    {
        var output = new ArrayBufferWriter<byte>();

        MqttPacketCodec.Encode(output, PingReqPacket.Instance, MqttProtocolVersion.V500);
        MqttPacketCodec.Encode(output, new PubAckPacket { PacketId = 258 }, MqttProtocolVersion.V500);

        Assert.Equal("C00040020102", Convert.ToHexString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("PUBLISH QoS1 without id")]
    [InlineData("SUBSCRIBE without filters")]
    [InlineData("CONNECT v3 password without user")]
    [InlineData("CONNACK v3 with a v5-only reason")]
    [InlineData("PUBLISH topic with U+0000")]
    public void Encode_ValuesMqttCannotCarry_ThrowArgumentException(string what)
    {
        MqttPacket packet = what switch
        {
            "PUBLISH QoS1 without id" => new PublishPacket { Topic = "a", QualityOfService = MqttQualityOfService.AtLeastOnce },
            "SUBSCRIBE without filters" => new SubscribePacket { PacketId = 1, Subscriptions = [] },
            "CONNECT v3 password without user" => new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, Password = new byte[] { 1 } },
            "CONNACK v3 with a v5-only reason" => new ConnAckPacket { ReasonCode = MqttReasonCode.QuotaExceeded },
            _ => new PublishPacket { Topic = "a\0b" },
        };

        Assert.ThrowsAny<ArgumentException>(() => MqttPacketCodec.Encode(packet, MqttProtocolVersion.V311));
    }
}
