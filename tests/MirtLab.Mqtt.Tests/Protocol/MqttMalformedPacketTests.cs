using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Protocol;

/// <summary>Bad input, one case per rule: the exception says which rule, where, and never anything but MqttProtocolException.</summary>
public sealed class MqttMalformedPacketTests
{
    public static TheoryData<string, MqttProtocolVersion, string, string> Cases => new()
    {
        { "reserved packet type 0", MqttProtocolVersion.V311, "0000", "packet type 0 is reserved" },
        { "PUBREC (QoS 2)", MqttProtocolVersion.V311, "50020001", "QoS 2" },
        { "PUBREL (QoS 2)", MqttProtocolVersion.V500, "62020001", "QoS 2" },
        { "AUTH", MqttProtocolVersion.V500, "F000", "AUTH" },
        { "CONNACK with flag bits in the fixed header", MqttProtocolVersion.V311, "21020000", "flags are 0x1, must be 0x0" },
        { "SUBSCRIBE without its 0010 flags", MqttProtocolVersion.V311, "8006000A00016101", "must be 0x2" },
        { "PUBLISH with both QoS bits", MqttProtocolVersion.V311, "3605000161 0001", "both QoS bits" },
        { "PUBLISH QoS 2", MqttProtocolVersion.V311, "3405000161 0001", "QoS 2" },
        { "PUBLISH QoS 0 with DUP", MqttProtocolVersion.V311, "380300 0161", "DUP" },
        { "PUBLISH topic with a wildcard", MqttProtocolVersion.V311, "300500032F2F23", "wildcard" },
        { "PUBLISH packet id 0", MqttProtocolVersion.V311, "320500016100 00", "packet identifier 0" },
        { "PUBLISH empty topic", MqttProtocolVersion.V311, "30020000", "topic name is empty" },
        { "PUBLISH topic longer than the packet", MqttProtocolVersion.V311, "3003000561", "needs 5 byte(s) but the packet has 1 left" },
        { "PUBLISH topic alias 0", MqttProtocolVersion.V500, "30070001610323 0000", "topic alias 0" },
        { "PUBLISH payload format indicator 2", MqttProtocolVersion.V500, "30060001610201 02", "only 0 or 1" },
        { "PUBLISH content type twice", MqttProtocolVersion.V500, "300C00016108 0300017803000179", "appears twice" },
        { "PUBLISH property overruns its length", MqttProtocolVersion.V500, "300C0001610203000561626364 65", "past the announced length" },
        { "PUBLISH subscription identifier 0", MqttProtocolVersion.V500, "300600016102 0B00", "subscription identifier 0" },
        { "PUBACK 3.1.1 with a trailing byte", MqttProtocolVersion.V311, "4003000100", "1 unexpected byte(s)" },
        { "PUBACK truncated", MqttProtocolVersion.V311, "400100", "needs 2 byte(s)" },
        { "PUBACK property not allowed there", MqttProtocolVersion.V500, "4009000100 050300026162", "not allowed here" },
        { "PUBACK unknown property", MqttProtocolVersion.V500, "4005000100 017F", "not an MQTT 5.0 property" },
        { "PUBACK property length beyond the packet", MqttProtocolVersion.V500, "4005000100 0926", "9 bytes of properties announced, 1 left" },
        { "PUBACK property identifier longer than 4 bytes", MqttProtocolVersion.V500, "4009000100 05FFFFFFFF01", "longer than 4 bytes" },
        { "CONNACK reserved acknowledge flags", MqttProtocolVersion.V311, "20020200", "reserved bits" },
        { "CONNACK 3.1.1 return code 6", MqttProtocolVersion.V311, "20020006", "return code 6 is reserved" },
        { "CONNACK receive maximum 0", MqttProtocolVersion.V500, "200600000321 0000", "receive maximum 0" },
        { "CONNACK maximum packet size 0", MqttProtocolVersion.V500, "2008000005 2700000000", "maximum packet size 0" },
        { "SUBACK 3.1.1 return code 3", MqttProtocolVersion.V311, "9003000103", "0x03 is not" },
        { "SUBACK without return codes", MqttProtocolVersion.V311, "90020001", "at least one" },
        { "SUBSCRIBE without topic filters", MqttProtocolVersion.V311, "82020001", "topic filter" },
        { "SUBSCRIBE with # not last", MqttProtocolVersion.V311, "8209000100 05612F232F6201", "'#' must be the whole last level" },
        { "SUBSCRIBE with + inside a level", MqttProtocolVersion.V311, "8207000100 03612B6201", "'+' must be a whole level" },
        { "SUBSCRIBE 3.1.1 reserved option bits", MqttProtocolVersion.V311, "8206000100016105", "reserved bits" },
        { "SUBSCRIBE retain handling 3", MqttProtocolVersion.V500, "820700010000016130", "retain handling is 3" },
        { "UNSUBACK 5.0 without reason codes", MqttProtocolVersion.V500, "B003000100", "at least one" },
        { "PINGRESP with a body", MqttProtocolVersion.V311, "D00100", "1 unexpected byte(s)" },
        { "DISCONNECT 3.1.1 with a body", MqttProtocolVersion.V311, "E00100", "1 unexpected byte(s)" },
        { "CONNECT protocol MQTT 3.1", MqttProtocolVersion.V311, "100E00064D51497364700302000000 00", "'MQIsdp' is not 'MQTT'" },
        { "CONNECT protocol level 3 with name MQTT", MqttProtocolVersion.V311, "100C00044D5154540302000000 00", "level 3" },
        { "CONNECT reserved flag", MqttProtocolVersion.V311, "100C00044D5154540403000000 00", "reserved bit" },
        { "CONNECT will QoS without will", MqttProtocolVersion.V311, "100C00044D5154540408000000 00", "without a will" },
        { "CONNECT 3.1.1 password without user name", MqttProtocolVersion.V311, "100F00044D5154540442000000 000001 61", "password without a user name" },
        { "CONNECT client id truncated", MqttProtocolVersion.V311, "100C00044D5154540402000000 05", "client identifier" },
        { "remaining length of 5 bytes", MqttProtocolVersion.V311, "30FFFFFFFF7F", "longer than 4 bytes" },
        { "incomplete packet given as complete", MqttProtocolVersion.V311, "3005000161", "not a complete packet" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedPacket_ThrowsProtocolExceptionSayingWhatIsWrong(string rule, MqttProtocolVersion version, string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        var ex = Record.Exception(() => MqttPacketCodec.Decode(bytes, version));

        var protocolException = Assert.IsType<MqttProtocolException>(ex);
        Assert.True(
            protocolException.Message.Contains(expected, StringComparison.Ordinal),
            $"{rule}: expected the message to contain \"{expected}\", got \"{protocolException.Message}\"");
    }

    [Fact]
    public void ErrorMessage_NamesPacketFieldAndOffset()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.Decode(Convert.FromHexString("3003000561"), MqttProtocolVersion.V311));

        Assert.Equal("Malformed PUBLISH packet: topic name at body byte 2: needs 5 byte(s) but the packet has 1 left.", ex.Message);
        Assert.Equal(MqttReasonCode.MalformedPacket, ex.ReasonCode);
    }
}
