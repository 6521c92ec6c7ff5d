using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Operations;
using MirtLab.Worker.Store;
using Spectre.Console;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab status [--json]</c>: the status page's data, read from the store (so it works whether or not the service
/// runs): per instrument the last file seen, per destination its backlog, recent quarantines, and the alerts set.
/// Exit 0 when no alert is set, 5 when one is (for monitoring scripts), 3 on a bad configuration.
/// </summary>
public static class StatusCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document (the /api/status shape) instead of tables." };
        var command = new Command("status", "Show instruments (last file seen), destinations (backlog), recent quarantines and alerts, from the store. Exit 5 when an alert is set.") { json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(configOption), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, TimeProvider.System, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? configPath, bool json, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
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

        if (!File.Exists(settings.StorePath))
        {
            error.WriteLine($"There is no store at '{settings.StorePath}' yet: the service has not run with this configuration (or Store:Path points elsewhere).");
            return ExitCodes.BadInput;
        }

        var store = new MirtLabStore(settings.StorePath, time);
        var report = await new StatusBuilder(settings, store, time).BuildAsync(cancellationToken);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, OperationsEndpoints.Json));
        }
        else
        {
            Write(report, output);
        }

        return report.Alerts.Count > 0 ? ExitCodes.AlertsSet : ExitCodes.Ok;
    }

    /// <summary>The report as tables for a terminal (plain text when redirected).</summary>
    public static void Write(StatusReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
        {
            console.Profile.Width = 200;
        }

        var now = report.GeneratedUtc;
        console.MarkupLine(Markup.Escape($"MirtLab {report.Node} — status at {Utc(now)} (from the {report.Source})"));
        console.WriteLine();

        var alerts = new Table().Title("Alerts").AddColumns("Kind", "Subject", "Severity", "Since (UTC)", "What");
        foreach (var a in report.Alerts)
        {
            alerts.AddRow(Cell(a.Kind), Cell(a.Subject), Cell(a.Severity), Cell(Utc(a.SinceUtc)), Cell(a.Message));
        }

        if (report.Alerts.Count == 0)
        {
            console.MarkupLine("Alerts: none.");
        }
        else
        {
            console.Write(alerts);
        }

        var instruments = new Table().Title("Instruments").AddColumns("Instrument", "Last file", "Outcome", "Received (UTC)", "Last seen", "Waiting", "Last 24 h", "Working hours");
        foreach (var i in report.Instruments)
        {
            instruments.AddRow(
                Cell(i.Id),
                Cell(i.LastFileName ?? "—"),
                Cell(i.LastFileOutcome ?? "—"),
                Cell(i.LastFileUtc is { } t ? Utc(t) : "—"),
                Cell(i.LastSeenUtc is { } s ? StatusBuilder.Ago(now - s) + " ago" : "never"),
                Cell(i.Waiting < 0 ? "inbox unreadable" : i.Waiting.ToString(CultureInfo.InvariantCulture)),
                Cell(i.Last24Hours.Count == 0 ? "—" : string.Join(", ", i.Last24Hours.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key}")))),
                Cell(i.WorkingHours ?? "not watched"));
        }

        console.Write(instruments);

        var destinations = new Table().Title("Destinations").AddColumns("Destination", "State", "Waiting", "Oldest waiting", "Dead letters", "Last delivery (UTC)", "Last error");
        foreach (var d in report.Destinations)
        {
            destinations.AddRow(
                Cell(d.Name),
                Cell(d.State),
                Cell(d.Pending.ToString(CultureInfo.InvariantCulture)),
                Cell(d.OldestPendingUtc is { } o ? StatusBuilder.Ago(now - o) : "—"),
                Cell(d.Dead.ToString(CultureInfo.InvariantCulture)),
                Cell(d.LastDeliveredUtc is { } l ? Utc(l) : "—"),
                Cell(d.LastError ?? "—"));
        }

        console.Write(destinations);

        if (report.RecentQuarantines.Count > 0)
        {
            var quarantines = new Table().Title("Recent quarantines").AddColumns("Received (UTC)", "Instrument", "File", "Reason", "Kept at");
            foreach (var q in report.RecentQuarantines)
            {
                quarantines.AddRow(Cell(Utc(q.ReceivedUtc)), Cell(q.Instrument), Cell(q.Name), Cell(q.Reason), Cell(q.Path));
            }

            console.Write(quarantines);
        }
        else
        {
            console.MarkupLine("Recent quarantines: none.");
        }

        if (report.Disk is { } disk)
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Data disk: {disk.FreeBytes / (1024 * 1024)} MB free of {disk.TotalBytes / (1024 * 1024)} MB ({disk.FreePercent:0.0} %) at {disk.Path}")));
        }
    }

    private static Text Cell(string text) => new(text);

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
