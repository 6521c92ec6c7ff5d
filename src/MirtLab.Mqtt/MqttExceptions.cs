namespace MirtLab.Mqtt;

/// <summary>Base type of every error this library reports about MQTT itself (not argument errors).</summary>
public class MqttException : Exception
{
    public MqttException()
    {
    }

    public MqttException(string message)
        : base(message)
    {
    }

    public MqttException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MqttException(string message, MqttReasonCode reasonCode, string? reasonString = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    /// <summary>The reason code the broker sent (MQTT 3.1.1 codes mapped to their 5.0 names), when there was one.</summary>
    public MqttReasonCode? ReasonCode { get; }

    /// <summary>The human-readable reason string of an MQTT 5.0 broker, when it sent one.</summary>
    public string? ReasonString { get; }

    internal static string WithReason(string what, MqttReasonCode code, string? reasonString) =>
        reasonString is null ? $"{what}: {code.Describe()}." : $"{what}: {code.Describe()}, \"{reasonString}\".";
}

/// <summary>Bytes that are not a valid MQTT packet, or a packet that breaks the protocol's rules; the connection is closed.</summary>
public sealed class MqttProtocolException : MqttException
{
    public MqttProtocolException()
    {
    }

    public MqttProtocolException(string message)
        : base(message, MqttReasonCode.MalformedPacket)
    {
    }

    public MqttProtocolException(string message, Exception? innerException)
        : base(message, MqttReasonCode.MalformedPacket, null, innerException)
    {
    }

    public MqttProtocolException(string message, MqttReasonCode reasonCode)
        : base(message, reasonCode)
    {
    }
}

/// <summary>The broker could not be reached, the TLS handshake failed, the connection was lost or timed out.</summary>
public sealed class MqttCommunicationException : MqttException
{
    public MqttCommunicationException()
    {
    }

    public MqttCommunicationException(string message)
        : base(message)
    {
    }

    public MqttCommunicationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The broker answered CONNECT with a refusal (bad password, not authorized, unsupported version…).</summary>
public sealed class MqttConnectException : MqttException
{
    public MqttConnectException()
    {
    }

    public MqttConnectException(string message)
        : base(message)
    {
    }

    public MqttConnectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MqttConnectException(string broker, MqttReasonCode reasonCode, string? reasonString)
        : base(WithReason($"Broker {broker} refused the connection", reasonCode, reasonString), reasonCode, reasonString)
    {
    }
}

/// <summary>An MQTT 5.0 broker acknowledged a QoS 1 PUBLISH with a failure reason code (e.g. NotAuthorized, QuotaExceeded).</summary>
public sealed class MqttPublishException : MqttException
{
    public MqttPublishException()
    {
    }

    public MqttPublishException(string message)
        : base(message)
    {
    }

    public MqttPublishException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MqttPublishException(string topic, MqttReasonCode reasonCode, string? reasonString)
        : base(WithReason($"Broker rejected the message to '{topic}'", reasonCode, reasonString), reasonCode, reasonString)
    {
        Topic = topic;
    }

    public string? Topic { get; }
}

/// <summary>The broker refused a SUBSCRIBE or UNSUBSCRIBE for a topic filter.</summary>
public sealed class MqttSubscribeException : MqttException
{
    public MqttSubscribeException()
    {
    }

    public MqttSubscribeException(string message)
        : base(message)
    {
    }

    public MqttSubscribeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MqttSubscribeException(string what, string topicFilter, MqttReasonCode reasonCode, string? reasonString)
        : base(WithReason($"Broker refused to {what} '{topicFilter}'", reasonCode, reasonString), reasonCode, reasonString)
    {
        TopicFilter = topicFilter;
    }

    public string? TopicFilter { get; }
}

/// <summary>An MQTT 5.0 broker closed the connection with a DISCONNECT packet and a reason (e.g. SessionTakenOver).</summary>
public sealed class MqttDisconnectedByBrokerException : MqttException
{
    public MqttDisconnectedByBrokerException()
    {
    }

    public MqttDisconnectedByBrokerException(string message)
        : base(message)
    {
    }

    public MqttDisconnectedByBrokerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MqttDisconnectedByBrokerException(string broker, MqttReasonCode reasonCode, string? reasonString)
        : base(WithReason($"Broker {broker} disconnected the client", reasonCode, reasonString), reasonCode, reasonString)
    {
    }
}

/// <summary>
/// The operation needs a connection the client does not have: it was never connected, was disconnected by
/// the application, or (QoS 0 and SUBSCRIBE only) is reconnecting.
/// </summary>
public sealed class MqttNotConnectedException : MqttException
{
    public MqttNotConnectedException()
    {
    }

    public MqttNotConnectedException(string message)
        : base(message)
    {
    }

    public MqttNotConnectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
