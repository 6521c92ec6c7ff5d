using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MirtLab.Core;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Ingest;
using MirtLab.Worker.Processing;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab check FILE|FOLDER.D [--json] [--culture xx-XX]</c>: a dry run for validation staff. Reads,
/// normalises and flags exactly as the service would, publishes nothing. Exit 0 read, 2 rejected as bad
/// input, 1 internal error, 3 bad configuration.
/// </summary>
public static class CheckCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var path = new Argument<string>("path") { Description = "An export file or a ChemStation .D folder." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of a table." };
        var culture = new Option<string?>("--culture") { Description = "Culture of the exporting PC (numbers, dates), overriding the instrument's, e.g. de-DE." };
        var instrument = new Option<string?>("--instrument") { Description = "Instrument whose settings apply (culture, time zone, unit, reader hints); default the first configured." };
        var format = new Option<string?>("--format") { Description = "Reader to use instead of detecting the format from the content." };
        var command = new Command("check", "Read, normalise and flag an export without publishing anything (a dry run).")
        {
            path, json, culture, instrument, format,
        };
        command.SetAction(parse => Run(
            parse.GetValue(path)!,
            parse.GetValue(json),
            parse.GetValue(culture),
            parse.GetValue(instrument),
            parse.GetValue(format),
            parse.GetValue(configOption),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string path, bool json, string? cultureName, string? instrumentId, string? format, string? configPath, TextWriter output, TextWriter error)
    {
        var loaded = SettingsLoader.Load(SettingsLoader.Locate(configPath));
        if (loaded.Settings is not { } settings)
        {
            foreach (var e in loaded.Errors)
            {
                error.WriteLine(e);
            }

            return ExitCodes.BadConfiguration;
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            error.WriteLine($"'{path}' does not exist.");
            return ExitCodes.BadInput;
        }

        CultureInfo? culture = null;
        if (cultureName is not null)
        {
            try
            {
                culture = CultureInfo.GetCultureInfo(cultureName, predefinedOnly: true);
            }
            catch (CultureNotFoundException)
            {
                error.WriteLine($"--culture '{cultureName}' is not a culture this machine knows (use a name such as en-US or de-DE).");
                return ExitCodes.BadConfiguration;
            }
        }

        var instrument = instrumentId is null ? settings.Instruments[0] : settings.FindInstrument(instrumentId);
        if (instrument is null)
        {
            error.WriteLine($"--instrument '{instrumentId}' is not configured (configured: {string.Join(", ", settings.Instruments.Select(i => i.Id))}).");
            return ExitCodes.BadConfiguration;
        }

        var source = ReadSource.FromPath(full);
        var sha = InputHasher.Compute(source);
        // The dry run judges deltas against the same history the service would, when the service has one here.
        IRunHistory previous = File.Exists(settings.StorePath) ? new MirtLabStore(settings.StorePath, TimeProvider.System) : NoHistory.Instance;
        var processed = new InputProcessor(settings.Rules, settings.Readers).ProcessAsync(source, sha, instrument, previous, culture, format).GetAwaiter().GetResult();
        if (json)
        {
            output.WriteLine(ToJson(full, sha, instrument.Id, settings.Rules.Version, processed).ToJsonString(MirtLabJson.Indented));
        }
        else
        {
            WriteTable(full, processed, output);
        }

        return processed.IsRejected ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    public static JsonObject ToJson(string file, string sha, string instrument, string configVersion, ProcessedInput processed)
    {
        var run = processed.Run;
        var results = new JsonArray();
        if (run is not null)
        {
            foreach (var r in run.Results)
            {
                results.Add(JsonSerializer.SerializeToNode(ResultDocument.From(r, run.Identity, run.ConfigVersion), MirtLabJson.Default.ResultDocument));
            }
        }

        return new JsonObject
        {
            ["file"] = file,
            ["format"] = processed.FormatId,
            ["status"] = processed.IsRejected ? "rejected" : "accepted",
            ["instrument"] = instrument,
            ["sha256"] = sha,
            ["configVersion"] = configVersion,
            ["diagnostics"] = new JsonArray(processed.Diagnostics.Select(d => (JsonNode)new JsonObject
            {
                ["code"] = d.Code,
                ["severity"] = d.Severity.ToString().ToLowerInvariant(),
                ["file"] = d.File,
                ["line"] = d.Line,
                ["column"] = d.Column,
                ["message"] = d.Message,
            }).ToArray()),
            ["run"] = run is null || processed.IsRejected ? null : JsonSerializer.SerializeToNode(RunDocument.From(run), MirtLabJson.Default.RunDocument),
            ["results"] = results,
        };
    }

    private static void WriteTable(string file, ProcessedInput processed, TextWriter output)
    {
        output.WriteLine($"File:    {file}");
        output.WriteLine($"Format:  {processed.FormatId ?? "(not recognised)"}");
        output.WriteLine($"Status:  {(processed.IsRejected ? "REJECTED (bad input: it would be quarantined, nothing published)" : "accepted")}");
        if (processed.Diagnostics.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Diagnostics:");
            foreach (var d in processed.Diagnostics)
            {
                output.WriteLine("  " + d);
            }
        }

        var run = processed.Run;
        if (run is null)
        {
            return;
        }

        if (run.Analytes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Run evaluation:");
            foreach (var a in run.Analytes)
            {
                var range = a.ReportableRange is { } r ? FormattableString.Invariant($"reportable {r.Lloq}–{r.Uloq} {a.Unit}") : "no reportable range";
                output.WriteLine($"  {a.DisplayName}: {RunDocument.OutcomeCode(a.Outcome)}, {range}");
                foreach (var c in a.Checks.Where(c => c.Outcome != CheckOutcome.Pass))
                {
                    output.WriteLine($"    {c.Outcome.ToString().ToUpperInvariant()} {c.Id}: {c.Message}");
                }
            }
        }

        output.WriteLine();
        var rows = run.Results.Select(r => new[]
        {
            r.Raw.Source.Line.ToString(CultureInfo.InvariantCulture),
            r.Raw.SampleName,
            r.SampleType.ToCode(),
            r.Analyte?.Code ?? "(unmapped) " + r.Raw.RawAnalyte,
            r.Display,
            r.Unit?.Code ?? r.Raw.RawUnit ?? string.Empty,
            string.Join(' ', r.Flags.Select(f => f.Code)),
            r.Status?.ToString().ToLowerInvariant() ?? string.Empty,
        }).ToList();
        string[] header = ["Line", "Sample", "Type", "Analyte", "Value", "Unit", "Flags", "Status"];
        var widths = header.Select((h, i) => Math.Min(40, rows.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        output.WriteLine(Row(header, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Row(row, widths));
        }

        output.WriteLine();
        var patients = run.PatientResults.ToList();
        output.WriteLine(FormattableString.Invariant($"{run.Results.Count} rows read; {patients.Count} patient results ({patients.Count(p => p.Status == ResultStatus.Final)} final, {patients.Count(p => p.Status != ResultStatus.Final)} held)."));

        static string Row(string[] cells, int[] widths)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < cells.Length; i++)
            {
                var cell = cells[i].Length > widths[i] ? cells[i][..(widths[i] - 1)] + "…" : cells[i];
                builder.Append(cell.PadRight(widths[i]));
                if (i < cells.Length - 1)
                {
                    builder.Append("  ");
                }
            }

            return builder.ToString().TrimEnd();
        }
    }
}
