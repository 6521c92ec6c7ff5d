using System.Text;
using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Protocol;

/// <summary>One valid packet of each kind, bare and with every property it may carry: the seeds of round-trip and mutation tests.</summary>
internal static class SamplePackets
{
    public static readonly IReadOnlyDictionary<string, Func<MqttProtocolVersion, MqttPacket>> All = new Dictionary<string, Func<MqttProtocolVersion, MqttPacket>>
    {
        ["CONNECT minimal"] = v => new ConnectPacket { ProtocolVersion = v, ClientId = "", CleanStart = true, KeepAliveSeconds = 0 },
        ["CONNECT full"] = v => new ConnectPacket
        {
            ProtocolVersion = v,
            ClientId = "mirtlab-worker-01",
            CleanStart = false,
            KeepAliveSeconds = 30,
            Username = "lab",
            Password = Encoding.UTF8.GetBytes("s3cret µ"),
            Will = new ConnectWill
            {
                Topic = "mirtlab/v1/status/worker-01",
                Payload = Encoding.UTF8.GetBytes("offline"),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                Properties = new MqttProperties
                {
                    WillDelayInterval = 5,
                    PayloadFormatIndicator = 1,
                    MessageExpiryInterval = 3600,
                    ContentType = "text/plain",
                    ResponseTopic = "mirtlab/v1/replies",
                    CorrelationData = new byte[] { 1, 2, 3 },
                    UserProperties = [new("site", "Zürich")],
                },
            },
            Properties = new MqttProperties
            {
                SessionExpiryInterval = 86400,
                ReceiveMaximum = 64,
                MaximumPacketSize = 1 << 20,
                TopicAliasMaximum = 0,
                RequestResponseInformation = 0,
                RequestProblemInformation = 1,
                UserProperties = [new("a", "1"), new("a", "2")],
                AuthenticationMethod = "none",
                AuthenticationData = new byte[] { 9 },
            },
        },
        ["CONNACK accepted"] = _ => new ConnAckPacket { SessionPresent = true, ReasonCode = MqttReasonCode.Success },
        ["CONNACK refused"] = _ => new ConnAckPacket { ReasonCode = MqttReasonCode.BadUserNameOrPassword },
        ["CONNACK full"] = _ => new ConnAckPacket
        {
            ReasonCode = MqttReasonCode.Success,
            Properties = new MqttProperties
            {
                SessionExpiryInterval = 60,
                ReceiveMaximum = 20,
                MaximumQoS = 1,
                RetainAvailable = 1,
                MaximumPacketSize = 268435455,
                AssignedClientIdentifier = "auto-1234",
                TopicAliasMaximum = 10,
                ReasonString = "welcome",
                UserProperties = [new("broker", "mosquitto")],
                WildcardSubscriptionAvailable = 1,
                SubscriptionIdentifierAvailable = 0,
                SharedSubscriptionAvailable = 1,
                ServerKeepAlive = 45,
                ResponseInformation = "replies/",
                ServerReference = "other:1883",
            },
        },
        ["PUBLISH QoS0"] = _ => new PublishPacket { Topic = "mirtlab/v1/results", Payload = Encoding.UTF8.GetBytes("{}") },
        ["PUBLISH QoS1 dup retain empty payload"] = _ => new PublishPacket
        {
            Topic = "a",
            PacketId = 65535,
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Dup = true,
            Retain = true,
        },
        ["PUBLISH full"] = _ => new PublishPacket
        {
            Topic = "mirtlab/v1/results/µg",
            PacketId = 7,
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Payload = Encoding.UTF8.GetBytes("{\"analyte\":\"tacrolimus\",\"value\":7.4}"),
            Properties = new MqttProperties
            {
                PayloadFormatIndicator = 1,
                MessageExpiryInterval = 600,
                ContentType = "application/json",
                ResponseTopic = "mirtlab/v1/acks",
                CorrelationData = new byte[] { 0xDE, 0xAD },
                SubscriptionIdentifiers = [1, 268435455],
                UserProperties = [new("run", "R-17"), new("run", "R-18")],
            },
        },
        ["PUBACK"] = _ => new PubAckPacket { PacketId = 1 },
        ["PUBACK with reason"] = _ => new PubAckPacket { PacketId = 2, ReasonCode = MqttReasonCode.NoMatchingSubscribers },
        ["PUBACK full"] = _ => new PubAckPacket
        {
            PacketId = 3,
            ReasonCode = MqttReasonCode.NotAuthorized,
            Properties = new MqttProperties { ReasonString = "no", UserProperties = [new("k", "v")] },
        },
        ["SUBSCRIBE"] = _ => new SubscribePacket
        {
            PacketId = 10,
            Subscriptions = [new("mirtlab/v1/#", MqttQualityOfService.AtLeastOnce), new("+/status", MqttQualityOfService.AtMostOnce)],
        },
        ["SUBSCRIBE full"] = _ => new SubscribePacket
        {
            PacketId = 11,
            Subscriptions = [new("lab/+/x", MqttQualityOfService.AtLeastOnce, NoLocal: true, RetainAsPublished: true, RetainHandling: 2)],
            Properties = new MqttProperties { SubscriptionIdentifiers = [42], UserProperties = [new("k", "v")] },
        },
        ["SUBACK"] = _ => new SubAckPacket { PacketId = 10, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.Success, MqttReasonCode.UnspecifiedError] },
        ["SUBACK full"] = _ => new SubAckPacket
        {
            PacketId = 11,
            ReasonCodes = [MqttReasonCode.NotAuthorized],
            Properties = new MqttProperties { ReasonString = "denied" },
        },
        ["UNSUBSCRIBE"] = _ => new UnsubscribePacket { PacketId = 12, TopicFilters = ["mirtlab/v1/#", "x"] },
        ["UNSUBSCRIBE full"] = _ => new UnsubscribePacket
        {
            PacketId = 13,
            TopicFilters = ["a/b"],
            Properties = new MqttProperties { UserProperties = [new("k", "v")] },
        },
        ["UNSUBACK"] = _ => new UnsubAckPacket { PacketId = 12, ReasonCodes = [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] },
        ["UNSUBACK full"] = _ => new UnsubAckPacket
        {
            PacketId = 13,
            ReasonCodes = [MqttReasonCode.TopicFilterInvalid],
            Properties = new MqttProperties { ReasonString = "bad filter" },
        },
        ["PINGREQ"] = _ => PingReqPacket.Instance,
        ["PINGRESP"] = _ => PingRespPacket.Instance,
        ["DISCONNECT"] = _ => new DisconnectPacket(),
        ["DISCONNECT full"] = _ => new DisconnectPacket
        {
            ReasonCode = MqttReasonCode.SessionTakenOver,
            Properties = new MqttProperties { SessionExpiryInterval = 0, ReasonString = "taken over", ServerReference = "b2", UserProperties = [new("k", "v")] },
        },
    };

    public static TheoryData<string, MqttProtocolVersion> NamesAndVersions()
    {
        var data = new TheoryData<string, MqttProtocolVersion>();
        foreach (var name in All.Keys)
        {
            data.Add(name, MqttProtocolVersion.V311);
            data.Add(name, MqttProtocolVersion.V500);
        }

        return data;
    }

    public static MqttPacket Create(string name, MqttProtocolVersion version) => All[name](version);

    public static byte[] Encode(string name, MqttProtocolVersion version) => MqttPacketCodec.Encode(Create(name, version), version);
}
