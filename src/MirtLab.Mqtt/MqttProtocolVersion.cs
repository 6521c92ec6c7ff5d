namespace MirtLab.Mqtt;

/// <summary>The MQTT protocol version a client speaks; the values are the protocol level byte of CONNECT.</summary>
public enum MqttProtocolVersion
{
    /// <summary>Try MQTT 5.0 and fall back to 3.1.1 when the broker answers "unacceptable protocol version".</summary>
    Auto = 0,

    /// <summary>MQTT 3.1.1 (protocol level 4).</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (protocol level 5).</summary>
    V500 = 5,
}
