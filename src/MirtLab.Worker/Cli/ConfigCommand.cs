using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MirtLab.Core;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Operations;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab config validate [--json]</c>: loads the whole configuration exactly as the service would (the file,
/// <c>MIRTLAB_</c> environment variables, the rule set, the format mappings) and prints every problem at once, one
/// sentence each naming its key; exit 3 when there is one. Valid, it prints what is in force (never a secret).
/// </summary>
public static class ConfigCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var command = new Command("config", "Check the configuration.");
        var json = new Option<bool>("--json") { Description = "Print one JSON document: valid, errors, and the settings in force." };
        var validate = new Command("validate", "Load and validate the whole configuration (file, environment, rule set, format mappings); print every error at once, exit 3 when there is one.") { json };
        validate.SetAction(parse => Validate(parse.GetValue(configOption), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        command.Subcommands.Add(validate);
        return command;
    }

    public static int Validate(string? configPath, bool json, TextWriter output, TextWriter error)
    {
        var file = SettingsLoader.Locate(configPath);
        var loaded = SettingsLoader.Load(file);
        if (json)
        {
            var document = new JsonObject
            {
                ["file"] = file,
                ["valid"] = loaded.Settings is not null,
                ["errors"] = new JsonArray(loaded.Errors.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
                ["settings"] = loaded.Settings is { } s ? Summary(s) : null,
            };
            output.WriteLine(document.ToJsonString(MirtLabJson.Indented));
            return loaded.Settings is null ? ExitCodes.BadConfiguration : ExitCodes.Ok;
        }

        if (loaded.Settings is not { } settings)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file ?? "(no configuration file)"}: {loaded.Errors.Count} problem(s):"));
            foreach (var e in loaded.Errors)
            {
                error.WriteLine("  " + e);
            }

            return ExitCodes.BadConfiguration;
        }

        output.WriteLine($"{settings.ConfigFile}: valid.");
        output.WriteLine($"  Node:         {settings.Node.Name}");
        output.WriteLine($"  Data root:    {settings.DataRoot}");
        output.WriteLine($"  Store:        {settings.StorePath}");
        output.WriteLine($"  Rule set:     {settings.Rules.Version} ({settings.RulesFile})");
        output.WriteLine($"  Readers:      {settings.Readers.Count}");
        foreach (var i in settings.Instruments)
        {
            output.WriteLine($"  Instrument {i.Id}: inbox {i.Inbox}, culture {(i.Culture.Name.Length == 0 ? "invariant" : i.Culture.Name)}, time zone {i.TimeZone.Id}, formats {(i.Formats.Count == 0 ? "any" : string.Join(", ", i.Formats))}, silence {i.Silence?.ToString() ?? "not watched"}");
        }

        output.WriteLine($"  LIS:          {(settings.Lis.Enabled ? settings.Lis.Provider : "disabled")}");
        output.WriteLine($"  MQTT:         {(settings.Mqtt.Enabled ? string.Create(CultureInfo.InvariantCulture, $"{settings.Mqtt.Host}:{settings.Mqtt.Port}, {settings.Mqtt.TopicPrefix}, TLS {(settings.Mqtt.UseTls ? "on" : "off")}") : "disabled")}");
        output.WriteLine($"  Web:          {settings.Web.Urls}");
        output.WriteLine($"  Metrics:      /metrics {(settings.Telemetry.Prometheus ? "on" : "off")}, OTLP {(string.IsNullOrWhiteSpace(settings.Telemetry.OtlpEndpoint) ? "off" : OtlpMetricsExporter.Endpoint(settings.Telemetry).ToString())}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Alerts:       every {settings.Alerts.EvaluateIntervalSeconds} s; backlog > {settings.Alerts.BacklogMaxAgeMinutes} min, quarantine {settings.Alerts.QuarantineHours} h, disk < {settings.Alerts.DiskMinFreePercent} % or {settings.Alerts.DiskMinFreeMegabytes} MB"));
        return ExitCodes.Ok;
    }

    private static JsonObject Summary(MirtLabSettings s) => new()
    {
        ["configFile"] = s.ConfigFile,
        ["node"] = s.Node.Name,
        ["dataRoot"] = s.DataRoot,
        ["store"] = s.StorePath,
        ["rules"] = new JsonObject { ["file"] = s.RulesFile, ["version"] = s.Rules.Version },
        ["readers"] = new JsonArray(s.Readers.Select(r => (JsonNode)JsonValue.Create(r.FormatId)!).ToArray()),
        ["instruments"] = new JsonArray(s.Instruments.Select(i => (JsonNode)new JsonObject
        {
            ["id"] = i.Id,
            ["name"] = i.Name,
            ["inbox"] = i.Inbox,
            ["culture"] = i.Culture.Name,
            ["timeZone"] = i.TimeZone.Id,
            ["formats"] = new JsonArray(i.Formats.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["silence"] = i.Silence?.ToString(),
        }).ToArray()),
        ["destinations"] = new JsonArray(s.Destinations.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
        ["lis"] = new JsonObject { ["enabled"] = s.Lis.Enabled, ["provider"] = s.Lis.Provider },
        ["mqtt"] = new JsonObject { ["enabled"] = s.Mqtt.Enabled, ["host"] = s.Mqtt.Host, ["port"] = s.Mqtt.Port, ["topicPrefix"] = s.Mqtt.TopicPrefix, ["tls"] = s.Mqtt.UseTls },
        ["web"] = s.Web.Urls,
        ["telemetry"] = new JsonObject
        {
            ["prometheus"] = s.Telemetry.Prometheus,
            ["otlpEndpoint"] = string.IsNullOrWhiteSpace(s.Telemetry.OtlpEndpoint) ? null : OtlpMetricsExporter.Endpoint(s.Telemetry).ToString(),
            ["otlpProtocol"] = s.Telemetry.OtlpProtocol,
        },
    };
}
