namespace MirtLab.Testing;

/// <summary>How <see cref="MosquittoBroker"/> configures its broker; the defaults give a plain, anonymous listener.</summary>
public sealed record MosquittoOptions
{
    /// <summary>User name → password, written with mosquitto_passwd; anonymous access is then off.</summary>
    public IReadOnlyDictionary<string, string>? Users { get; init; }

    /// <summary>TLS listener with <see cref="Certificates"/> (the shared test PKI unless set).</summary>
    public bool Tls { get; init; }

    /// <summary>With <see cref="Tls"/>: clients must present a certificate signed by the test CA.</summary>
    public bool RequireClientCertificate { get; init; }

    public TestCertificates? Certificates { get; init; }

    /// <summary>persistence true with a location in the broker's folder, so a restart keeps sessions and queued messages.</summary>
    public bool Persistence { get; init; }

    /// <summary>autosave_interval in seconds (mosquitto saves on a clean stop in any case).</summary>
    public int? AutosaveIntervalSeconds { get; init; }

    /// <summary>max_inflight_messages: QoS 1 messages the broker sends a client before waiting for PUBACKs.</summary>
    public int? MaxInflightMessages { get; init; }

    /// <summary>max_queued_messages per offline persistent session (mosquitto's default is 1000).</summary>
    public int? MaxQueuedMessages { get; init; }

    /// <summary>log_type all instead of everything but debug (debug logs every packet).</summary>
    public bool DebugLog { get; init; }

    /// <summary>Lines appended to the generated mosquitto.conf as they are.</summary>
    public IReadOnlyList<string> ExtraConfiguration { get; init; } = [];
}
