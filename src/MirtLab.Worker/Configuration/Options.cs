namespace MirtLab.Worker.Configuration;

/// <summary>Where MirtLab keeps its files. Relative paths are resolved against the configuration file's folder.</summary>
public sealed class PathsOptions
{
    public const string Section = "Paths";

    /// <value>Root of inbox, work, archive, quarantine and the embedded databases; default <c>../data</c>.</value>
    public string DataRoot { get; set; } = "../data";

    /// <value>The clinical rule set (catalog, ranges, acceptance); default <c>rules.json</c> beside this file.</value>
    public string Rules { get; set; } = "rules.json";

    /// <value>Folder of delimited-export mappings: every <c>*.json</c> in it (except <c>*.example.json</c>) becomes a reader; default <c>formats</c>.</value>
    public string Formats { get; set; } = "formats";
}

/// <summary>How the drop folders are watched.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <value>Seconds between inbox scans; default 2. A file-system watcher only hints between scans.</value>
    public double ScanIntervalSeconds { get; set; } = 2;

    /// <value>Seconds a file's size and timestamp must stay unchanged before it is taken; default 5.</value>
    public double StabilitySeconds { get; set; } = 5;

    /// <value>
    /// Largest input accepted, in megabytes; default 100 (a plate export is about 100 kB, 200,000 results about 90 MB).
    /// A larger one is quarantined, not read: reading holds the run in memory, about 40 times the file's size.
    /// </value>
    public long MaxInputMegabytes { get; set; } = 100;
}

/// <summary>One instrument: its inbox and what its exports look like.</summary>
public sealed class InstrumentOptions
{
    /// <value>Stable id, lower-case (appears in MQTT topics and LIS rows).</value>
    public string Id { get; set; } = string.Empty;

    public string? Name { get; set; }

    /// <value>Drop folder; relative paths are under <c>Paths:DataRoot</c>. Default <c>inbox/{Id}</c>.</value>
    public string? Inbox { get; set; }

    /// <value>Culture of the exporting PC for numbers and dates (<c>en-US</c>, <c>de-DE</c>); default invariant.</value>
    public string Culture { get; set; } = string.Empty;

    /// <value>IANA or Windows time zone of the instrument's clock; default UTC.</value>
    public string TimeZone { get; set; } = "UTC";

    /// <value>Extra .NET date formats tried first for acquisition times.</value>
    public List<string> DateFormats { get; set; } = [];

    /// <value>Reader hints: format ids this inbox may receive; empty means any.</value>
    public List<string> Formats { get; set; } = [];

    /// <value>Concentration unit when the export states none (MassHunter: it is method configuration).</value>
    public string? DefaultUnit { get; set; }

    /// <value>When the instrument is expected to send files; absent means it is never reported silent.</value>
    public SilenceOptions? Silence { get; set; }
}

/// <summary>An instrument's working hours: no file for <see cref="WindowMinutes"/> of working time raises an alert.</summary>
public sealed class SilenceOptions
{
    /// <value>Minutes of working time without a file after which the instrument counts as silent; 0 (default) turns the alert off.</value>
    public double WindowMinutes { get; set; }

    /// <value>Working days in the instrument's time zone (<c>Mon</c> … <c>Sun</c>); default Monday to Friday.</value>
    public List<string> Days { get; set; } = [];

    /// <value>Working hours in the instrument's time zone, <c>HH:mm-HH:mm</c> (an end before the start runs past midnight); default <c>00:00-24:00</c>.</value>
    public string Hours { get; set; } = "00:00-24:00";
}

/// <summary>MirtLab's own embedded store (SQLite): inputs, results, outbox, audit.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <value>Store file; relative paths are under <c>Paths:DataRoot</c>. Default <c>mirtlab.db</c>.</value>
    public string Path { get; set; } = "mirtlab.db";
}

/// <summary>The LIS database MirtLab writes results into.</summary>
public sealed class LisOptions
{
    public const string Section = "Lis";

    /// <value>Whether results are delivered to the LIS database; default true.</value>
    public bool Enabled { get; set; } = true;

    /// <value><c>Sqlite</c> (default, embedded), <c>PostgreSql</c> or <c>SqlServer</c>.</value>
    public string Provider { get; set; } = "Sqlite";

    /// <value>ADO.NET connection string. For SQLite a relative <c>Data Source</c> is under <c>Paths:DataRoot</c>. Default <c>Data Source=lis.db</c>.</value>
    public string ConnectionString { get; set; } = "Data Source=lis.db";

    /// <value>Connection string of the schema owner, used only to create or upgrade the LIS tables; default none (the runtime one, which then needs DDL rights). See deploy/sql.</value>
    public string? MigrationConnectionString { get; set; }
}

/// <summary>The MQTT broker results are published to.</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <value>Whether results are published; default true.</value>
    public bool Enabled { get; set; } = true;

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <value>Client id; default <c>mirtlab-{Node}</c>.</value>
    public string? ClientId { get; set; }

    public string? Username { get; set; }

    /// <value>Password; keep it out of the repository (environment variable <c>Mqtt__Password</c>).</value>
    public string? Password { get; set; }

    /// <value>Topic prefix; default <c>mirtlab/v1</c>.</value>
    public string TopicPrefix { get; set; } = "mirtlab/v1";

    public int KeepAliveSeconds { get; set; } = 30;

    /// <value><c>Auto</c> (5.0, falling back to 3.1.1), <c>V500</c> or <c>V311</c>.</value>
    public string ProtocolVersion { get; set; } = "Auto";

    public bool UseTls { get; set; }

    /// <value>PEM file of the CA that signed the broker's certificate; default the system store.</value>
    public string? CaFile { get; set; }

    public string? ClientCertificateFile { get; set; }

    public string? ClientKeyFile { get; set; }

    /// <value>Unacknowledged QoS 1 messages allowed at once; default 64.</value>
    public int MaxInFlight { get; set; } = 64;

    /// <value>Longest wait between reconnection attempts to a broker that is down, in seconds; default 15 (the first wait is 1 s, doubling with jitter).</value>
    public double ReconnectMaxSeconds { get; set; } = 15;
}

/// <summary>Store-and-forward delivery from the outbox.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <value>First retry delay in seconds; default 1. Doubles per attempt with jitter.</value>
    public double RetryMinSeconds { get; set; } = 1;

    /// <value>Longest retry delay in seconds; default 60.</value>
    public double RetryMaxSeconds { get; set; } = 60;

    /// <value>Attempts after which an entry that failed permanently is parked as a dead letter; default 5. Transient failures (a destination that is down) are retried without limit.</value>
    public int MaxPermanentAttempts { get; set; } = 5;

    /// <value>Seconds one delivery attempt may take per 10,000 results of its batch (at least once); default 30.</value>
    public double AttemptTimeoutSeconds { get; set; } = 30;
}

/// <summary>The web endpoints (health now, QA pages later).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <value>Listen URLs; default <c>http://127.0.0.1:5080</c> (loopback only).</value>
    public string Urls { get; set; } = "http://127.0.0.1:5080";
}

/// <summary>Identity of this MirtLab node.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <value>Node name, used in the MQTT status topic and client id; default <c>mirtlab</c>.</value>
    public string Name { get; set; } = "mirtlab";
}

/// <summary>What <c>/health/ready</c> tests and how long it may take.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <value>Seconds one readiness probe (the store, each destination) may take before it counts as failed; default 5.</value>
    public double ProbeTimeoutSeconds { get; set; } = 5;
}

/// <summary>Metrics export: OpenTelemetry (OTLP) and the Prometheus text endpoint.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <value>OTLP collector endpoint (<c>http://collector:4317</c> for gRPC, <c>http://collector:4318</c> for HTTP); empty (default) exports nothing.</value>
    public string? OtlpEndpoint { get; set; }

    /// <value><c>Grpc</c> (default) or <c>HttpProtobuf</c>.</value>
    public string OtlpProtocol { get; set; } = "Grpc";

    /// <value>OTLP headers as <c>key=value,key2=value2</c> (a collector's API key: set it as an environment variable); default none.</value>
    public string? OtlpHeaders { get; set; }

    /// <value>Seconds between OTLP exports; default 60.</value>
    public double ExportIntervalSeconds { get; set; } = 60;

    /// <value>Whether <c>/metrics</c> serves the Prometheus text format; default true.</value>
    public bool Prometheus { get; set; } = true;
}

/// <summary>When MirtLab raises alerts (log, metric, retained MQTT topic, status page).</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <value>Seconds between evaluations; default 30.</value>
    public double EvaluateIntervalSeconds { get; set; } = 30;

    /// <value>An outbox entry waiting longer than this many minutes raises a backlog alert for its destination; default 30, 0 off.</value>
    public double BacklogMaxAgeMinutes { get; set; } = 30;

    /// <value>A quarantined input keeps its instrument's quarantine alert set for this many hours; default 24, 0 off.</value>
    public double QuarantineHours { get; set; } = 24;

    /// <value>Less free space than this percentage on the data disk raises a disk alert; default 10, 0 off.</value>
    public double DiskMinFreePercent { get; set; } = 10;

    /// <value>Less free space than this many megabytes on the data disk raises a disk alert; default 1024, 0 off.</value>
    public long DiskMinFreeMegabytes { get; set; } = 1024;

    /// <value>Whether alerts are published as retained messages on <c>{TopicPrefix}/alerts/{node}/{kind}/{subject}</c> (when MQTT is enabled); default true.</value>
    public bool Mqtt { get; set; } = true;
}
