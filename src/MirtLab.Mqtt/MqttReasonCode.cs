namespace MirtLab.Mqtt;

/// <summary>
/// MQTT 5.0 reason codes (MQTT 2.4). MQTT 3.1.1 CONNACK return codes and the SUBACK failure code are mapped
/// onto these, so callers see one set of names whatever version was negotiated.
/// </summary>
public enum MqttReasonCode : byte
{
    /// <summary>Success, Normal disconnection or Granted QoS 0, depending on the packet.</summary>
    Success = 0x00,
    GrantedQoS1 = 0x01,
    GrantedQoS2 = 0x02,
    DisconnectWithWillMessage = 0x04,
    NoMatchingSubscribers = 0x10,
    NoSubscriptionExisted = 0x11,
    ContinueAuthentication = 0x18,
    ReAuthenticate = 0x19,
    UnspecifiedError = 0x80,
    MalformedPacket = 0x81,
    ProtocolError = 0x82,
    ImplementationSpecificError = 0x83,
    UnsupportedProtocolVersion = 0x84,
    ClientIdentifierNotValid = 0x85,
    BadUserNameOrPassword = 0x86,
    NotAuthorized = 0x87,
    ServerUnavailable = 0x88,
    ServerBusy = 0x89,
    Banned = 0x8A,
    ServerShuttingDown = 0x8B,
    BadAuthenticationMethod = 0x8C,
    KeepAliveTimeout = 0x8D,
    SessionTakenOver = 0x8E,
    TopicFilterInvalid = 0x8F,
    TopicNameInvalid = 0x90,
    PacketIdentifierInUse = 0x91,
    PacketIdentifierNotFound = 0x92,
    ReceiveMaximumExceeded = 0x93,
    TopicAliasInvalid = 0x94,
    PacketTooLarge = 0x95,
    MessageRateTooHigh = 0x96,
    QuotaExceeded = 0x97,
    AdministrativeAction = 0x98,
    PayloadFormatInvalid = 0x99,
    RetainNotSupported = 0x9A,
    QoSNotSupported = 0x9B,
    UseAnotherServer = 0x9C,
    ServerMoved = 0x9D,
    SharedSubscriptionsNotSupported = 0x9E,
    ConnectionRateExceeded = 0x9F,
    MaximumConnectTime = 0xA0,
    SubscriptionIdentifiersNotSupported = 0xA1,
    WildcardSubscriptionsNotSupported = 0xA2,
}

internal static class MqttReasonCodeExtensions
{
    /// <summary>MQTT 2.4: a reason code of 0x80 or greater indicates failure.</summary>
    public static bool IsFailure(this MqttReasonCode code) => (byte)code >= 0x80;

    /// <summary>"BadUserNameOrPassword (0x86)", or the hex value alone for a code this client has no name for.</summary>
    public static string Describe(this MqttReasonCode code) =>
        Enum.IsDefined(code)
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{code} (0x{(byte)code:X2})")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0x{(byte)code:X2}");
}
