using System.Globalization;
using System.Text;

namespace MirtLab.Mqtt;

/// <summary>How to reach and talk to the broker; bound from configuration section <see cref="SectionName"/>.</summary>
public sealed class MqttClientOptions
{
    public const string SectionName = "Mqtt";

    /// <summary>Broker host name or IP address.</summary>
    /// <value>Required.</value>
    public string Host { get; set; } = "";

    /// <value>Default null: 1883, or 8883 with TLS.</value>
    public int? Port { get; set; }

    /// <summary>Client identifier; required for a persistent session (MQTT-3.1.3-7).</summary>
    /// <value>Default empty: the broker assigns one (clean sessions only).</value>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// Keep the session (subscriptions, unacknowledged QoS 1 messages) across connections: CONNECT with clean
    /// session/clean start = 0 and, for MQTT 5.0, <see cref="SessionExpiry"/>.
    /// </summary>
    /// <value>Default false: every connection starts a clean session.</value>
    public bool PersistentSession { get; set; }

    /// <summary>MQTT 5.0 session expiry interval sent with a persistent session; <see cref="TimeSpan.MaxValue"/> never expires.</summary>
    /// <value>Default 1 day.</value>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <value>Default null: no user name.</value>
    public string? Username { get; set; }

    /// <value>Default null: no password.</value>
    public string? Password { get; set; }

    /// <summary>Keep-alive interval in whole seconds; <see cref="TimeSpan.Zero"/> turns keep-alive off.</summary>
    /// <value>Default 30 s.</value>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for any packet after a PINGREQ before declaring the connection dead.</summary>
    /// <value>Default null: the keep-alive interval.</value>
    public TimeSpan? PingResponseTimeout { get; set; }

    /// <value>Default <see cref="MqttProtocolVersion.Auto"/>.</value>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.Auto;

    public MqttTlsOptions Tls { get; set; } = new();

    /// <summary>Message the broker publishes when the connection dies without a DISCONNECT.</summary>
    /// <value>Default null: no will.</value>
    public MqttApplicationMessage? LastWill { get; set; }

    /// <summary>Most QoS 1 messages sent and not yet acknowledged; further PublishAsync calls wait their turn.</summary>
    /// <value>Default 64; an MQTT 5.0 broker's Receive Maximum lowers it.</value>
    public int MaxInflightMessages { get; set; } = 64;

    /// <summary>Most unacknowledged QoS 1 messages an MQTT 5.0 broker may send this client (Receive Maximum).</summary>
    /// <value>Default 64.</value>
    public int ReceiveMaximum { get; set; } = 64;

    /// <summary>Largest packet accepted from the broker, in bytes; announced to MQTT 5.0 brokers.</summary>
    /// <value>Default 16 MiB.</value>
    public int MaximumPacketSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bound on TCP connect, TLS handshake and CONNACK together.</summary>
    /// <value>Default 10 s.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect after a lost connection; unacknowledged QoS 1 messages are kept and resent.</summary>
    /// <value>Default true.</value>
    public bool AutoReconnect { get; set; } = true;

    /// <value>Default 1 s.</value>
    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    /// <value>Default 60 s.</value>
    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal int EffectivePort => Port ?? (Tls.Enabled ? 8883 : 1883);

    internal string BrokerName => string.Create(CultureInfo.InvariantCulture, $"{Host}:{EffectivePort}");

    internal TimeSpan EffectivePingResponseTimeout => PingResponseTimeout ?? KeepAlive;

    /// <summary>Every problem with these options, in words an operator can act on; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("Mqtt:Host is required.");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add(Format($"Mqtt:Port must be 1-65535, not {Port}."));
        }

        if (Encoding.UTF8.GetByteCount(ClientId) > 65535)
        {
            errors.Add("Mqtt:ClientId is longer than 65535 UTF-8 bytes.");
        }

        if (PersistentSession && ClientId.Length == 0)
        {
            errors.Add("Mqtt:ClientId is required with PersistentSession: the broker finds the session by it (MQTT-3.1.3-7).");
        }

        if (SessionExpiry < TimeSpan.Zero)
        {
            errors.Add("Mqtt:SessionExpiry must not be negative.");
        }

        if (Password is not null && Username is null && ProtocolVersion != MqttProtocolVersion.V500)
        {
            errors.Add("Mqtt:Password needs a Username with MQTT 3.1.1 (MQTT-3.1.2-22).");
        }

        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue || KeepAlive.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add(Format($"Mqtt:KeepAlive must be whole seconds between 0 and 65535, not {KeepAlive}."));
        }

        if (PingResponseTimeout is { } ping && ping <= TimeSpan.Zero)
        {
            errors.Add("Mqtt:PingResponseTimeout must be positive.");
        }

        if (ProtocolVersion is not (MqttProtocolVersion.Auto or MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            errors.Add(Format($"Mqtt:ProtocolVersion must be Auto, V311 or V500, not {ProtocolVersion}."));
        }

        if (MaxInflightMessages is < 1 or > 65000)
        {
            errors.Add(Format($"Mqtt:MaxInflightMessages must be 1-65000, not {MaxInflightMessages}."));
        }

        if (ReceiveMaximum is < 1 or > 65535)
        {
            errors.Add(Format($"Mqtt:ReceiveMaximum must be 1-65535, not {ReceiveMaximum}."));
        }

        if (MaximumPacketSize < 128)
        {
            errors.Add(Format($"Mqtt:MaximumPacketSize must be at least 128 bytes, not {MaximumPacketSize}."));
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add("Mqtt:ConnectTimeout must be positive.");
        }

        if (ReconnectDelayMin <= TimeSpan.Zero || ReconnectDelayMax < ReconnectDelayMin)
        {
            errors.Add("Mqtt:ReconnectDelayMin must be positive and not above ReconnectDelayMax.");
        }

        if (LastWill is { } will)
        {
            try
            {
                MqttTopic.ValidateTopicName(will.Topic, nameof(LastWill));
                MqttTopic.ValidateQualityOfService(will.QualityOfService, nameof(LastWill));
            }
            catch (ArgumentException ex)
            {
                errors.Add($"Mqtt:LastWill: {ex.Message}");
            }
        }

        if (TimeProvider is null)
        {
            errors.Add("Mqtt:TimeProvider is required.");
        }

        errors.AddRange(Tls.Validate());
        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid MQTT client options: " + string.Join(" ", errors), "options");
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
