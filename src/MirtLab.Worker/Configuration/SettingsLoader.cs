using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using MirtLab.Core.Rules;
using MirtLab.Core.Units;
using MirtLab.Readers;
using MirtLab.Readers.Delimited;

namespace MirtLab.Worker.Configuration;

/// <summary>The outcome of loading configuration: settings, or every problem found, each one sentence naming its key.</summary>
public sealed record SettingsLoadResult(MirtLabSettings? Settings, IReadOnlyList<string> Errors);

/// <summary>
/// Loads <c>config/appsettings.json</c> (plus <c>MIRTLAB_</c> environment variables), binds every section,
/// validates all of it at once and resolves paths. A bad setting is reported as one sentence naming the
/// key, so the service refuses to start with a message lab IT can act on.
/// </summary>
public static partial class SettingsLoader
{
    public const string EnvironmentPrefix = "MIRTLAB_";

    /// <summary>The environment variable naming the configuration file.</summary>
    public const string ConfigVariable = "MIRTLAB_CONFIG";

    /// <summary>After the prefix, the test suite's own variables (<c>MIRTLAB_TEST_SQLSERVER</c>, …).</summary>
    private const string TestVariablePrefix = "TEST_";

    /// <summary>Finds the configuration file: an explicit path, <c>MIRTLAB_CONFIG</c>, <c>./config/appsettings.json</c>, or beside the executable.</summary>
    public static string? Locate(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(ConfigVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        foreach (var candidate in new[]
                 {
                     Path.Combine(Directory.GetCurrentDirectory(), "config", "appsettings.json"),
                     Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"),
                 })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static IConfigurationRoot BuildConfiguration(string configFile, IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(configFile, optional: false, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides ?? [])
            .Build();

    public static SettingsLoadResult Load(string? configFile, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        if (configFile is null)
        {
            return new SettingsLoadResult(null, ["No configuration file: pass --config PATH, set MIRTLAB_CONFIG, or run from the folder that holds config/appsettings.json."]);
        }

        if (!File.Exists(configFile))
        {
            return new SettingsLoadResult(null, [$"The configuration file '{configFile}' does not exist."]);
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = BuildConfiguration(configFile, overrides);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            return new SettingsLoadResult(null, [$"The configuration file '{configFile}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        return Load(configuration, configFile);
    }

    public static SettingsLoadResult Load(IConfiguration configuration, string configFile)
    {
        var errors = new List<string>();
        var configDirectory = Path.GetDirectoryName(Path.GetFullPath(configFile))!;

        var paths = Bind<PathsOptions>(configuration, PathsOptions.Section, errors);
        var ingest = Bind<IngestOptions>(configuration, IngestOptions.Section, errors);
        var store = Bind<StoreOptions>(configuration, StoreOptions.Section, errors);
        var lis = Bind<LisOptions>(configuration, LisOptions.Section, errors);
        var mqtt = Bind<MqttOptions>(configuration, MqttOptions.Section, errors);
        var delivery = Bind<DeliveryOptions>(configuration, DeliveryOptions.Section, errors);
        var web = Bind<WebOptions>(configuration, WebOptions.Section, errors);
        var node = Bind<NodeOptions>(configuration, NodeOptions.Section, errors);
        var health = Bind<HealthOptions>(configuration, HealthOptions.Section, errors);
        var telemetry = Bind<TelemetryOptions>(configuration, TelemetryOptions.Section, errors);
        var alerts = Bind<AlertsOptions>(configuration, AlertsOptions.Section, errors);
        var instrumentOptions = BindInstruments(configuration, errors);
        ReportUnknownSections(configuration, errors);

        var dataRoot = Path.GetFullPath(Path.Combine(configDirectory, paths.DataRoot));
        var rulesFile = Path.GetFullPath(Path.Combine(configDirectory, paths.Rules));
        RuleSet? rules = null;
        if (!File.Exists(rulesFile))
        {
            errors.Add($"Setting 'Paths:Rules' names '{rulesFile}', which does not exist.");
        }
        else
        {
            var loaded = RuleSetLoader.Load(File.ReadAllBytes(rulesFile));
            rules = loaded.RuleSet;
            errors.AddRange(loaded.Errors.Select(e => $"Rule set '{Path.GetFileName(rulesFile)}', {e}."));
        }

        var readers = LoadReaders(Path.GetFullPath(Path.Combine(configDirectory, paths.Formats)), errors);
        ValidateIngest(ingest, errors);
        var instruments = ResolveInstruments(instrumentOptions, dataRoot, readers, errors);
        ValidateLis(lis, errors);
        ValidateMqtt(mqtt, configDirectory, errors);
        ValidateDelivery(delivery, errors);
        if (string.IsNullOrWhiteSpace(web.Urls))
        {
            errors.Add("Setting 'Web:Urls' is empty; give a URL such as http://127.0.0.1:5080 (loopback only) or http://0.0.0.0:5080.");
        }

        if (!CodePattern().IsMatch(node.Name))
        {
            errors.Add($"Setting 'Node:Name' is '{node.Name}'; use lower-case letters, digits and '-' (it appears in MQTT topics).");
        }

        ValidateOperations(health, telemetry, alerts, errors);
        ValidateLogging(configuration, errors);

        if (errors.Count > 0)
        {
            return new SettingsLoadResult(null, errors);
        }

        return new SettingsLoadResult(
            new MirtLabSettings
            {
                ConfigFile = Path.GetFullPath(configFile),
                DataRoot = dataRoot,
                RulesFile = rulesFile,
                Rules = rules!,
                Readers = readers,
                Ingest = ingest,
                Instruments = instruments,
                StorePath = Path.GetFullPath(Path.Combine(dataRoot, store.Path)),
                Lis = lis,
                LisConnectionString = ResolveLisConnectionString(lis.Provider, lis.ConnectionString, dataRoot),
                LisMigrationConnectionString = string.IsNullOrWhiteSpace(lis.MigrationConnectionString) ? null : ResolveLisConnectionString(lis.Provider, lis.MigrationConnectionString, dataRoot),
                Mqtt = mqtt,
                Delivery = delivery,
                Web = web,
                Node = node,
                Health = health,
                Telemetry = telemetry,
                Alerts = alerts,
            },
            []);
    }

    private static T Bind<T>(IConfiguration configuration, string section, List<string> errors)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"Section '{section}': {Sentence(ex)}");
            return new T();
        }
    }

    private static List<InstrumentOptions> BindInstruments(IConfiguration configuration, List<string> errors)
    {
        var list = new List<InstrumentOptions>();
        foreach (var child in configuration.GetSection("Instruments").GetChildren())
        {
            try
            {
                list.Add(child.Get<InstrumentOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new InstrumentOptions());
            }
            catch (InvalidOperationException ex)
            {
                errors.Add($"Setting 'Instruments:{child.Key}': {Sentence(ex)}");
                list.Add(new InstrumentOptions { Id = "invalid-" + child.Key });
            }
        }

        return list;
    }

    private static void ReportUnknownSections(IConfiguration configuration, List<string> errors)
    {
        string[] known = ["Paths", "Ingest", "Instruments", "Store", "Lis", "Mqtt", "Delivery", "Web", "Node", "Health", "Telemetry", "Alerts", "Logging", "AllowedHosts"];
        foreach (var section in configuration.GetChildren())
        {
            if (known.Contains(section.Key, StringComparer.OrdinalIgnoreCase)
                || section.Key.StartsWith("ASPNETCORE", StringComparison.OrdinalIgnoreCase)
                || section.Key.StartsWith("DOTNET", StringComparison.OrdinalIgnoreCase)
                || (section.Value is not null && (section.Key.Equals(ConfigVariable[EnvironmentPrefix.Length..], StringComparison.OrdinalIgnoreCase)
                                                  || section.Key.StartsWith(TestVariablePrefix, StringComparison.OrdinalIgnoreCase))))
            {
                // MIRTLAB_CONFIG names the file (Locate); MIRTLAB_TEST_* belong to the test suite. Neither is a setting.
                continue;
            }

            errors.Add(section.Value is null
                ? $"Section '{section.Key}' is not a MirtLab setting (known sections: {string.Join(", ", known)})."
                : $"'{section.Key}' is not a MirtLab setting (known sections: {string.Join(", ", known)}); an environment variable sets one as {EnvironmentPrefix}Section__Key, e.g. {EnvironmentPrefix}Lis__Provider, not {EnvironmentPrefix}{section.Key}.");
        }
    }

    private static void ValidateIngest(IngestOptions o, List<string> errors)
    {
        if (o.ScanIntervalSeconds is < 0.05 or > 3600)
        {
            errors.Add(Invariant($"Setting 'Ingest:ScanIntervalSeconds' is {o.ScanIntervalSeconds}; it must be between 0.05 and 3600."));
        }

        if (o.StabilitySeconds is < 0 or > 86400)
        {
            errors.Add(Invariant($"Setting 'Ingest:StabilitySeconds' is {o.StabilitySeconds}; it must be between 0 and 86400."));
        }

        if (o.MaxInputMegabytes <= 0)
        {
            errors.Add(Invariant($"Setting 'Ingest:MaxInputMegabytes' is {o.MaxInputMegabytes}; it must be positive."));
        }
    }

    /// <summary>The built-in readers plus one per mapping file; a broken mapping is a configuration error naming its file and key.</summary>
    private static IReadOnlyList<IInstrumentReader> LoadReaders(string formatsFolder, List<string> errors)
    {
        var mappings = new List<DelimitedMapping>();
        if (Directory.Exists(formatsFolder))
        {
            foreach (var file in Directory.EnumerateFiles(formatsFolder, "*.json").Where(f => !f.EndsWith(".example.json", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            {
                var loaded = DelimitedMappingLoader.Load(File.ReadAllBytes(file), Path.GetFileName(file));
                if (loaded.Mapping is { } mapping && loaded.Succeeded)
                {
                    mappings.Add(mapping);
                }
                else
                {
                    errors.AddRange(loaded.Errors.Select(e => $"Format mapping {e}{(e.EndsWith('.') ? string.Empty : ".")}"));
                }
            }
        }

        try
        {
            return ReaderRegistry.Create(mappings);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"Format mappings in '{formatsFolder}': {ex.Message}");
            return ReaderRegistry.BuiltIn();
        }
    }

    private static List<InstrumentSettings> ResolveInstruments(List<InstrumentOptions> options, string dataRoot, IReadOnlyList<IInstrumentReader> readers, List<string> errors)
    {
        var result = new List<InstrumentSettings>();
        if (options.Count == 0)
        {
            errors.Add("Section 'Instruments' is empty; configure at least one instrument with an Id and an Inbox.");
        }

        var knownFormats = readers.Select(r => r.FormatId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var inboxes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            var at = $"Instruments:{i.ToString(CultureInfo.InvariantCulture)}";
            if (!CodePattern().IsMatch(o.Id ?? string.Empty))
            {
                errors.Add($"Setting '{at}:Id' is '{o.Id}'; use lower-case letters, digits and '-' (it appears in MQTT topics and LIS rows).");
                continue;
            }

            if (result.Any(r => r.Id == o.Id))
            {
                errors.Add($"Setting '{at}:Id' repeats instrument id '{o.Id}'; ids must be unique.");
            }

            CultureInfo culture = CultureInfo.InvariantCulture;
            if (!string.IsNullOrWhiteSpace(o.Culture))
            {
                try
                {
                    culture = CultureInfo.GetCultureInfo(o.Culture, predefinedOnly: true);
                }
                catch (CultureNotFoundException)
                {
                    errors.Add($"Setting '{at}:Culture' is '{o.Culture}', which is not a culture this machine knows (use a name such as en-US or de-DE).");
                }
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone ?? string.Empty, out var zone))
            {
                errors.Add($"Setting '{at}:TimeZone' is '{o.TimeZone}', which is not a time zone this machine knows (use an IANA id such as Europe/Berlin).");
            }

            if (o.DefaultUnit is not null && !UnitSpellings.TryResolve(o.DefaultUnit, out _))
            {
                errors.Add($"Setting '{at}:DefaultUnit' is '{o.DefaultUnit}', which is not a concentration unit MirtLab knows.");
            }

            foreach (var format in o.Formats.Where(f => !knownFormats.Contains(f)))
            {
                errors.Add($"Setting '{at}:Formats' names '{format}', which is not a reader MirtLab has ({string.Join(", ", knownFormats)}).");
            }

            var inbox = Path.GetFullPath(Path.Combine(dataRoot, string.IsNullOrWhiteSpace(o.Inbox) ? Path.Combine("inbox", o.Id!) : o.Inbox));
            if (inboxes.TryGetValue(inbox, out var other))
            {
                errors.Add($"Setting '{at}:Inbox' is the same folder as instrument '{other}'; each instrument needs its own inbox.");
            }

            foreach (var reserved in new[] { "work", "archive", "quarantine" })
            {
                var folder = Path.Combine(dataRoot, reserved);
                if (IsSameOrUnder(inbox, folder) || IsSameOrUnder(folder, inbox))
                {
                    errors.Add($"Setting '{at}:Inbox' ('{inbox}') overlaps MirtLab's {reserved} folder; choose a separate folder.");
                }
            }

            inboxes[inbox] = o.Id!;
            result.Add(new InstrumentSettings
            {
                Id = o.Id!,
                Name = string.IsNullOrWhiteSpace(o.Name) ? o.Id! : o.Name,
                Inbox = inbox,
                Culture = culture,
                TimeZone = zone ?? TimeZoneInfo.Utc,
                DateFormats = o.DateFormats,
                Formats = o.Formats,
                DefaultUnit = o.DefaultUnit,
                Silence = ResolveSilence(o.Silence, at, errors),
            });
        }

        return result;
    }

    /// <summary>Working days and hours of an instrument; null when no silence window is set.</summary>
    private static SilenceSchedule? ResolveSilence(SilenceOptions? o, string at, List<string> errors)
    {
        if (o is null || o.WindowMinutes == 0)
        {
            return null;
        }

        if (o.WindowMinutes is < 0 or > 525_600)
        {
            errors.Add(Invariant($"Setting '{at}:Silence:WindowMinutes' is {o.WindowMinutes}; it must be between 0 (off) and 525600 (a year)."));
            return null;
        }

        var days = new HashSet<DayOfWeek>();
        foreach (var day in o.Days.Count == 0 ? ["Mon", "Tue", "Wed", "Thu", "Fri"] : o.Days)
        {
            var match = Enum.GetValues<DayOfWeek>().Where(d => day.Length >= 3 && d.ToString().StartsWith(day, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count != 1)
            {
                errors.Add($"Setting '{at}:Silence:Days' names '{day}', which is not a day of the week (use Mon, Tue, Wed, Thu, Fri, Sat, Sun).");
            }
            else
            {
                days.Add(match[0]);
            }
        }

        var hours = HoursPattern().Match(o.Hours ?? string.Empty);
        if (!hours.Success)
        {
            errors.Add($"Setting '{at}:Silence:Hours' is '{o.Hours}'; write the working hours as HH:mm-HH:mm, such as 07:00-19:00 (24:00 ends at midnight).");
            return null;
        }

        var from = Clock(hours.Groups[1].Value, hours.Groups[2].Value);
        var to = Clock(hours.Groups[3].Value, hours.Groups[4].Value);
        if (from is null || to is null || from == TimeSpan.FromDays(1) || from == to)
        {
            errors.Add($"Setting '{at}:Silence:Hours' is '{o.Hours}'; the times must be 00:00 to 24:00 and differ.");
            return null;
        }

        return new SilenceSchedule(TimeSpan.FromMinutes(o.WindowMinutes), days, from.Value, to.Value);

        static TimeSpan? Clock(string h, string m)
        {
            var time = new TimeSpan(int.Parse(h, CultureInfo.InvariantCulture), int.Parse(m, CultureInfo.InvariantCulture), 0);
            return time > TimeSpan.FromDays(1) || time.Minutes >= 60 ? null : time;
        }
    }

    private static void ValidateOperations(HealthOptions health, TelemetryOptions telemetry, AlertsOptions alerts, List<string> errors)
    {
        if (health.ProbeTimeoutSeconds is <= 0 or > 300)
        {
            errors.Add(Invariant($"Setting 'Health:ProbeTimeoutSeconds' is {health.ProbeTimeoutSeconds}; it must be more than 0 and at most 300."));
        }

        if (!string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint)
            && (!Uri.TryCreate(telemetry.OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            errors.Add($"Setting 'Telemetry:OtlpEndpoint' is '{telemetry.OtlpEndpoint}'; give the collector's http:// or https:// URL, such as http://127.0.0.1:4317, or leave it empty.");
        }

        string[] protocols = ["Grpc", "HttpProtobuf"];
        if (!protocols.Contains(telemetry.OtlpProtocol, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Setting 'Telemetry:OtlpProtocol' is '{telemetry.OtlpProtocol}'; it must be one of {string.Join(", ", protocols)}.");
        }

        if (telemetry.OtlpHeaders is { Length: > 0 } headers && headers.Split(',').Any(h => h.IndexOf('=', StringComparison.Ordinal) <= 0))
        {
            errors.Add("Setting 'Telemetry:OtlpHeaders' must be key=value pairs separated by commas.");
        }

        if (telemetry.ExportIntervalSeconds is < 0.1 or > 3600)
        {
            errors.Add(Invariant($"Setting 'Telemetry:ExportIntervalSeconds' is {telemetry.ExportIntervalSeconds}; it must be between 0.1 and 3600."));
        }

        if (alerts.EvaluateIntervalSeconds is < 0.05 or > 3600)
        {
            errors.Add(Invariant($"Setting 'Alerts:EvaluateIntervalSeconds' is {alerts.EvaluateIntervalSeconds}; it must be between 0.05 and 3600."));
        }

        if (alerts.BacklogMaxAgeMinutes < 0)
        {
            errors.Add(Invariant($"Setting 'Alerts:BacklogMaxAgeMinutes' is {alerts.BacklogMaxAgeMinutes}; it must be 0 (off) or more."));
        }

        if (alerts.QuarantineHours < 0)
        {
            errors.Add(Invariant($"Setting 'Alerts:QuarantineHours' is {alerts.QuarantineHours}; it must be 0 (off) or more."));
        }

        if (alerts.DiskMinFreePercent is < 0 or >= 100)
        {
            errors.Add(Invariant($"Setting 'Alerts:DiskMinFreePercent' is {alerts.DiskMinFreePercent}; it must be 0 (off) or more, and less than 100."));
        }

        if (alerts.DiskMinFreeMegabytes < 0)
        {
            errors.Add(Invariant($"Setting 'Alerts:DiskMinFreeMegabytes' is {alerts.DiskMinFreeMegabytes}; it must be 0 (off) or more."));
        }
    }

    /// <summary>The console log format is Microsoft's setting; a typo there would silently fall back to plain text.</summary>
    private static void ValidateLogging(IConfiguration configuration, List<string> errors)
    {
        var formatter = configuration["Logging:Console:FormatterName"];
        string[] formatters = ["json", "simple", "systemd"];
        if (formatter is not null && !formatters.Contains(formatter, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Setting 'Logging:Console:FormatterName' is '{formatter}'; it must be one of {string.Join(", ", formatters)}.");
        }
    }

    private static void ValidateLis(LisOptions o, List<string> errors)
    {
        string[] providers = ["Sqlite", "PostgreSql", "SqlServer"];
        if (!providers.Contains(o.Provider, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Setting 'Lis:Provider' is '{o.Provider}'; it must be one of {string.Join(", ", providers)}.");
        }

        if (o.Enabled && string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            errors.Add("Setting 'Lis:ConnectionString' is empty; give the LIS database's connection string or set 'Lis:Enabled' to false.");
        }
    }

    private static void ValidateMqtt(MqttOptions o, string configDirectory, List<string> errors)
    {
        if (!o.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(o.Host))
        {
            errors.Add("Setting 'Mqtt:Host' is empty; name the broker or set 'Mqtt:Enabled' to false.");
        }

        if (o.Port is < 1 or > 65535)
        {
            errors.Add(Invariant($"Setting 'Mqtt:Port' is {o.Port}; it must be between 1 and 65535."));
        }

        if (o.KeepAliveSeconds is < 0 or > 65535)
        {
            errors.Add(Invariant($"Setting 'Mqtt:KeepAliveSeconds' is {o.KeepAliveSeconds}; it must be between 0 and 65535."));
        }

        if (o.MaxInFlight is < 1 or > 65535)
        {
            errors.Add(Invariant($"Setting 'Mqtt:MaxInFlight' is {o.MaxInFlight}; it must be between 1 and 65535."));
        }

        if (o.ReconnectMaxSeconds is < 1 or > 3600)
        {
            errors.Add(Invariant($"Setting 'Mqtt:ReconnectMaxSeconds' is {o.ReconnectMaxSeconds}; it must be between 1 and 3600."));
        }

        string[] versions = ["Auto", "V500", "V311"];
        if (!versions.Contains(o.ProtocolVersion, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Setting 'Mqtt:ProtocolVersion' is '{o.ProtocolVersion}'; it must be one of {string.Join(", ", versions)}.");
        }

        if (string.IsNullOrWhiteSpace(o.TopicPrefix) || o.TopicPrefix.IndexOfAny(['#', '+']) >= 0 || o.TopicPrefix.StartsWith('/') || o.TopicPrefix.EndsWith('/'))
        {
            errors.Add($"Setting 'Mqtt:TopicPrefix' is '{o.TopicPrefix}'; it must be a topic without wildcards or leading/trailing '/', such as mirtlab/v1.");
        }

        foreach (var (key, file) in new[] { ("CaFile", o.CaFile), ("ClientCertificateFile", o.ClientCertificateFile), ("ClientKeyFile", o.ClientKeyFile) })
        {
            if (file is not null && !File.Exists(Path.Combine(configDirectory, file)))
            {
                errors.Add($"Setting 'Mqtt:{key}' names '{file}', which does not exist.");
            }
        }

        if (o.Password is not null && o.Username is null)
        {
            errors.Add("Setting 'Mqtt:Password' is set without 'Mqtt:Username'; MQTT sends a password only with a user name.");
        }
    }

    private static void ValidateDelivery(DeliveryOptions o, List<string> errors)
    {
        if (o.RetryMinSeconds <= 0)
        {
            errors.Add(Invariant($"Setting 'Delivery:RetryMinSeconds' is {o.RetryMinSeconds}; it must be positive."));
        }

        if (o.RetryMaxSeconds < o.RetryMinSeconds)
        {
            errors.Add(Invariant($"Setting 'Delivery:RetryMaxSeconds' is {o.RetryMaxSeconds}; it must be at least 'Delivery:RetryMinSeconds' ({o.RetryMinSeconds})."));
        }

        if (o.MaxPermanentAttempts < 1)
        {
            errors.Add(Invariant($"Setting 'Delivery:MaxPermanentAttempts' is {o.MaxPermanentAttempts}; it must be at least 1."));
        }

        if (o.AttemptTimeoutSeconds <= 0)
        {
            errors.Add(Invariant($"Setting 'Delivery:AttemptTimeoutSeconds' is {o.AttemptTimeoutSeconds}; it must be positive."));
        }
    }

    private static string ResolveLisConnectionString(string provider, string connectionString, string dataRoot)
    {
        if (!string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return connectionString;
        }

        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(dataRoot, builder.DataSource));
        }

        return builder.ToString();
    }

    private static bool IsSameOrUnder(string path, string folder)
    {
        var p = Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar;
        var f = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return p.StartsWith(f, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static string Sentence(Exception ex)
    {
        var message = (ex.InnerException ?? ex).Message.Trim();
        return message.EndsWith('.') ? message : message + ".";
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\s*([0-9]{2}):([0-9]{2})\s*-\s*([0-9]{2}):([0-9]{2})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HoursPattern();
}
