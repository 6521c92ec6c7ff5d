using Microsoft.Extensions.Logging;

namespace MirtLab.Mqtt;

/// <summary>Every log message of the MQTT client; event ids 6000-6099 (STYLE.md: stable ranges per area).</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Debug, "Connecting to MQTT broker {Broker} with MQTT {Version} (TLS {Tls})")]
    public static partial void Connecting(ILogger logger, string broker, MqttProtocolVersion version, bool tls);

    [LoggerMessage(6001, LogLevel.Information, "Connected to MQTT broker {Broker} with MQTT {Version}; session present {SessionPresent}")]
    public static partial void Connected(ILogger logger, string broker, MqttProtocolVersion version, bool sessionPresent);

    [LoggerMessage(6002, LogLevel.Warning, "Connecting to MQTT broker {Broker} failed")]
    public static partial void ConnectFailed(ILogger logger, string broker, Exception exception);

    [LoggerMessage(6003, LogLevel.Warning, "Lost the connection to MQTT broker {Broker}; {PendingCount} QoS 1 message(s) unacknowledged")]
    public static partial void ConnectionLost(ILogger logger, string broker, int pendingCount, Exception? exception);

    [LoggerMessage(6004, LogLevel.Information, "Reconnecting to MQTT broker {Broker}: attempt {Attempt} in {Delay}")]
    public static partial void Reconnecting(ILogger logger, string broker, int attempt, TimeSpan delay);

    [LoggerMessage(6005, LogLevel.Information, "MQTT broker {Broker} does not speak MQTT 5.0; falling back to 3.1.1")]
    public static partial void FallingBackToV311(ILogger logger, string broker);

    [LoggerMessage(6006, LogLevel.Information, "Resending {Count} unacknowledged QoS 1 message(s) to {Broker} (session present {SessionPresent})")]
    public static partial void Resending(ILogger logger, int count, string broker, bool sessionPresent);

    [LoggerMessage(6007, LogLevel.Information, "Disconnected from MQTT broker {Broker} by the application")]
    public static partial void Disconnected(ILogger logger, string broker);

    [LoggerMessage(6008, LogLevel.Warning, "MQTT broker {Broker} acknowledged unknown packet id {PacketId} ({PacketType}); ignored")]
    public static partial void UnknownPacketId(ILogger logger, string broker, ushort packetId, string packetType);

    [LoggerMessage(6009, LogLevel.Warning, "MQTT broker {Broker} rejected the message to {Topic}: {ReasonCode}")]
    public static partial void PublishRejected(ILogger logger, string broker, string topic, MqttReasonCode reasonCode);

    [LoggerMessage(6010, LogLevel.Information, "Session not present on {Broker}: subscribing again to {Count} topic filter(s)")]
    public static partial void Resubscribing(ILogger logger, string broker, int count);

    [LoggerMessage(6011, LogLevel.Error, "Subscribing again to {TopicFilter} on {Broker} failed")]
    public static partial void ResubscribeFailed(ILogger logger, string topicFilter, string broker, Exception exception);

    [LoggerMessage(6012, LogLevel.Error, "A ConnectionStateChanged handler threw")]
    public static partial void StateHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(6013, LogLevel.Warning, "TLS: the certificate of MQTT broker {Broker} was rejected: {Reason}")]
    public static partial void CertificateRejected(ILogger logger, string broker, string reason);

    [LoggerMessage(6014, LogLevel.Warning, "TLS: accepting the certificate of MQTT broker {Broker} without validation (DangerouslyAcceptAnyServerCertificate)")]
    public static partial void CertificateNotValidated(ILogger logger, string broker);

    [LoggerMessage(6015, LogLevel.Debug, "Received a duplicate QoS 1 message on {Topic} (packet id {PacketId})")]
    public static partial void DuplicateReceived(ILogger logger, string topic, ushort packetId);
}
