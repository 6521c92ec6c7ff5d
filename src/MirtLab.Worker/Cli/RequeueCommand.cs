using System.CommandLine;
using System.Globalization;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Ingest;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab requeue</c>: gives work back to the service. Dead letters (batches a destination refused for good) go
/// back into the outbox once the cause is fixed; quarantined files go back into their inbox (after a rule-set or
/// mapping fix, for example). Every requeue is audited. Nothing in quarantine is deleted: the error report of a
/// requeued file is kept in <c>quarantine/&lt;instrument&gt;/requeued/</c>.
/// </summary>
public static class RequeueCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var command = new Command("requeue", "Retry dead letters or send quarantined files back through the inbox (audited).");

        var list = new Command("list", "Show dead letters and quarantined files.");
        list.SetAction((parse, ct) => ListAsync(parse.GetValue(configOption), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        command.Subcommands.Add(list);

        var destination = new Option<string?>("--destination") { Description = "Only this destination's dead letters: lis or mqtt." };
        var batch = new Option<long?>("--batch") { Description = "Only this batch." };
        var allDead = new Option<bool>("--all") { Description = "Every dead letter (required unless --destination or --batch narrows it)." };
        var dead = new Command("dead", "Put dead letters back into the outbox; they are delivered again like new.") { destination, batch, allDead };
        dead.SetAction((parse, ct) => DeadAsync(parse.GetValue(configOption), parse.GetValue(destination), parse.GetValue(batch), parse.GetValue(allDead), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        command.Subcommands.Add(dead);

        var names = new Argument<string[]>("name") { Description = "Quarantined file or .D folder names.", Arity = ArgumentArity.ZeroOrMore };
        var instrument = new Option<string?>("--instrument") { Description = "The instrument whose quarantine to look in; default every instrument." };
        var allFiles = new Option<bool>("--all") { Description = "Every quarantined file (of --instrument, or of all instruments)." };
        var quarantine = new Command("quarantine", "Move quarantined files back into their instrument's inbox, to be read again.") { names, instrument, allFiles };
        quarantine.SetAction((parse, ct) => QuarantineAsync(parse.GetValue(configOption), parse.GetValue(names) ?? [], parse.GetValue(instrument), parse.GetValue(allFiles), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        command.Subcommands.Add(quarantine);
        return command;
    }

    public static async Task<int> ListAsync(string? configPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await CliStore.OpenAsync(configPath, error, cancellationToken) is not var (settings, store))
        {
            return ExitCodes.BadConfiguration;
        }

        var dead = await store.DeadLettersAsync(cancellationToken);
        output.WriteLine(dead.Count == 0 ? "No dead letters." : string.Create(CultureInfo.InvariantCulture, $"Dead letters ({dead.Count}):"));
        foreach (var d in dead)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  batch {d.BatchId} → {d.Destination}: run {d.RunKey} ({d.Source}), {d.Attempts} attempts, since {d.CreatedUtc}: {d.LastError}"));
        }

        var quarantined = Quarantined(settings, null).ToList();
        output.WriteLine(quarantined.Count == 0 ? "Quarantine is empty." : string.Create(CultureInfo.InvariantCulture, $"Quarantined files ({quarantined.Count}):"));
        foreach (var (instrument, path) in quarantined)
        {
            output.WriteLine($"  {instrument.Id}: {Path.GetFileName(path)}");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> DeadAsync(string? configPath, string? destination, long? batch, bool all, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (destination is not (null or "lis" or "mqtt"))
        {
            error.WriteLine($"--destination '{destination}' is not a destination (lis, mqtt).");
            return ExitCodes.BadInput;
        }

        if (!all && destination is null && batch is null)
        {
            error.WriteLine("Say which dead letters: --all, --destination lis|mqtt, or --batch ID.");
            return ExitCodes.BadInput;
        }

        if (await CliStore.OpenAsync(configPath, error, cancellationToken) is not var (_, store))
        {
            return ExitCodes.BadConfiguration;
        }

        var count = await store.RequeueDeadLettersAsync(CliStore.Actor, destination, batch, cancellationToken);
        output.WriteLine(count == 0
            ? "No dead letters matched; nothing requeued."
            : string.Create(CultureInfo.InvariantCulture, $"Requeued {count} dead letter(s); the service delivers them again."));
        return ExitCodes.Ok;
    }

    public static async Task<int> QuarantineAsync(string? configPath, string[] names, string? instrumentId, bool all, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (names.Length == 0 && !all)
        {
            error.WriteLine("Name the quarantined files to requeue, or pass --all.");
            return ExitCodes.BadInput;
        }

        if (await CliStore.OpenAsync(configPath, error, cancellationToken) is not var (settings, store))
        {
            return ExitCodes.BadConfiguration;
        }

        if (instrumentId is not null && settings.FindInstrument(instrumentId) is null)
        {
            error.WriteLine($"--instrument '{instrumentId}' is not configured (configured: {string.Join(", ", settings.Instruments.Select(i => i.Id))}).");
            return ExitCodes.BadInput;
        }

        var candidates = Quarantined(settings, instrumentId).ToList();
        var chosen = all ? candidates : candidates.Where(c => names.Contains(Path.GetFileName(c.Path), StringComparer.Ordinal)).ToList();
        var missing = names.Where(n => !chosen.Any(c => Path.GetFileName(c.Path) == n)).ToList();
        if (missing.Count > 0)
        {
            error.WriteLine($"Not in quarantine{(instrumentId is null ? string.Empty : " of " + instrumentId)}: {string.Join(", ", missing)}.");
            return ExitCodes.BadInput;
        }

        foreach (var (instrument, path) in chosen)
        {
            var name = Path.GetFileName(path);
            var report = path + QuarantineReport.Suffix;
            var stamp = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var keptReport = Path.Combine(Path.GetDirectoryName(path)!, "requeued", $"{stamp}_{name}{QuarantineReport.Suffix}");
            var target = DropFolder.FreePath(instrument.Inbox, name);
            if (File.Exists(report))
            {
                DropFolder.Move(report, keptReport);
            }

            await store.MarkFinalizedAtAsync(path, cancellationToken);
            DropFolder.Move(path, target);
            await store.AppendAuditAsync(CliStore.Actor, "quarantine.requeued", name, new Dictionary<string, object?>
            {
                ["instrument"] = instrument.Id,
                ["from"] = path,
                ["to"] = target,
                ["errorReportKeptAt"] = File.Exists(keptReport) ? keptReport : null,
            }, cancellationToken);
            output.WriteLine($"Requeued {instrument.Id}/{name} → {target}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Quarantined inputs (files and folders), without their error reports and the requeued history.</summary>
    private static IEnumerable<(InstrumentSettings Instrument, string Path)> Quarantined(MirtLabSettings settings, string? instrumentId)
    {
        foreach (var instrument in settings.Instruments.Where(i => instrumentId is null || i.Id == instrumentId))
        {
            var folder = Path.Combine(settings.QuarantineRoot, instrument.Id);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                if (name == "requeued" || name.EndsWith(QuarantineReport.Suffix, StringComparison.Ordinal) || DropFolder.IsIgnored(name))
                {
                    continue;
                }

                yield return (instrument, path);
            }
        }
    }
}
