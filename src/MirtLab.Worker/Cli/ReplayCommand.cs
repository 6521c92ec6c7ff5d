using System.CommandLine;
using System.Globalization;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Store;
using Spectre.Console;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab replay</c>: delivers archived inputs' results to the destinations again, e.g. after the LIS database was
/// restored from a backup. It selects the runs of the inputs received in a date range (and/or of one instrument, or
/// named run keys) and queues every batch of those runs again, in their original order, in the store's outbox: a
/// delivered entry is re-opened, a missing one (a destination added since) is created. The running service delivers
/// them; the LIS keeps the highest revision of each result and MQTT consumers de-duplicate by result key, so a replay
/// never goes backwards. Every chunk is one store transaction with an audit record (who, why, which batches).
/// </summary>
public static class ReplayCommand
{
    private const int Chunk = 200;

    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static Command Create(Option<string?> configOption)
    {
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd, UTC) or instant (ISO 8601 with offset) the inputs were received." };
        var to = new Option<string?>("--to") { Description = "Last day (yyyy-MM-dd, UTC, inclusive) or instant (exclusive) the inputs were received." };
        var instrument = new Option<string?>("--instrument") { Description = "Only this instrument's inputs." };
        var runKeys = new Option<string[]>("--run-key") { Description = "Only these runs (repeat the option for several).", AllowMultipleArgumentsPerToken = true };
        var destinations = new Option<string[]>("--destination") { Description = "Only these destinations (lis, mqtt); default every configured one.", AllowMultipleArgumentsPerToken = true };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the audit trail), e.g. \"LIS restored from the backup of 2026-11-20\".", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be queued; change nothing." };
        var wait = new Option<bool>("--wait") { Description = "Then follow the deliveries until they are done (the service must be running)." };
        var waitTimeout = new Option<int>("--wait-timeout") { Description = "Seconds --wait follows the deliveries before giving up (exit 6); default 600.", DefaultValueFactory = _ => 600 };
        var command = new Command("replay", "Deliver archived inputs' results again (after a destination was restored): queue every batch of the selected runs in the outbox, audited.")
        {
            from, to, instrument, runKeys, destinations, reason, dryRun, wait, waitTimeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new ReplayRequest(
                parse.GetValue(configOption),
                parse.GetValue(from),
                parse.GetValue(to),
                parse.GetValue(instrument),
                parse.GetValue(runKeys) ?? [],
                parse.GetValue(destinations) ?? [],
                parse.GetValue(reason)!,
                parse.GetValue(dryRun),
                parse.GetValue(wait) ? TimeSpan.FromSeconds(parse.GetValue(waitTimeout)) : null,
                CliStore.Actor),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            TimeProvider.System,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(ReplayRequest request, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var loaded = SettingsLoader.Load(SettingsLoader.Locate(request.ConfigPath));
        if (loaded.Settings is not { } settings)
        {
            foreach (var e in loaded.Errors)
            {
                error.WriteLine(e);
            }

            return ExitCodes.BadConfiguration;
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Trim().Length < 5)
        {
            error.WriteLine("--reason must say why (at least 5 characters); it is recorded in the audit trail.");
            return ExitCodes.BadInput;
        }

        if (request.From is null && request.RunKeys.Count == 0)
        {
            error.WriteLine("Say what to replay: --from (and --to) for a date range, or --run-key for runs; --instrument narrows either.");
            return ExitCodes.BadInput;
        }

        if (!TryParseBound(request.From, isEnd: false, out var fromUtc) || !TryParseBound(request.To, isEnd: true, out var toUtc))
        {
            error.WriteLine($"--from and --to take a day (yyyy-MM-dd, UTC) or an instant with its offset (2026-11-20T08:00:00+01:00); got '{request.From}' and '{request.To}'.");
            return ExitCodes.BadInput;
        }

        if (request.Instrument is not null && settings.FindInstrument(request.Instrument) is null)
        {
            error.WriteLine($"--instrument '{request.Instrument}' is not configured (configured: {string.Join(", ", settings.Instruments.Select(i => i.Id))}).");
            return ExitCodes.BadInput;
        }

        var unknown = request.Destinations.Where(d => !settings.Destinations.Contains(d, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            error.WriteLine($"--destination {string.Join(", ", unknown)}: not a configured destination (configured: {string.Join(", ", settings.Destinations)}).");
            return ExitCodes.BadInput;
        }

        var destinations = request.Destinations.Count > 0 ? request.Destinations.Distinct(StringComparer.Ordinal).ToList() : settings.Destinations.ToList();
        if (!File.Exists(settings.StorePath))
        {
            error.WriteLine($"There is no store at '{settings.StorePath}': nothing was ever received with this configuration.");
            return ExitCodes.BadInput;
        }

        var store = new MirtLabStore(settings.StorePath, time);
        var selection = new ReplaySelection(fromUtc, toUtc, request.Instrument, request.RunKeys);
        var candidates = await store.FindReplayCandidatesAsync(selection, destinations, cancellationToken);
        var missing = request.RunKeys.Where(k => !candidates.Any(c => c.RunKey == k)).ToList();
        if (missing.Count > 0)
        {
            error.WriteLine($"No run with key {string.Join(", ", missing)} matches (check the key, and --from/--to/--instrument if given).");
            return ExitCodes.BadInput;
        }

        if (candidates.Count == 0)
        {
            output.WriteLine("Nothing to replay: no input received in that range.");
            return ExitCodes.Ok;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Selected {candidates.Select(c => c.RunKey).Distinct().Count()} run(s) from {candidates.Select(c => c.InputName).Distinct().Count()} input(s), {candidates.Count} batch(es), received {Utc(candidates.Min(c => c.ReceivedUtc))} to {Utc(candidates.Max(c => c.ReceivedUtc))}."));
        foreach (var destination in destinations)
        {
            var states = candidates.Select(c => c.States[destination]).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {destination}: {states.Count(s => s == "delivered")} delivered (queued again), {states.Count(s => s is null)} never queued (created), {states.Count(s => s == "pending")} already waiting (left), {states.Count(s => s == "dead")} dead letters (left: mirtlab requeue dead puts them back)."));
        }

        if (request.DryRun)
        {
            output.WriteLine("Dry run: nothing was changed.");
            return ExitCodes.Ok;
        }

        var batchIds = candidates.Select(c => c.BatchId).ToList();
        var audit = new Dictionary<string, object?>
        {
            ["from"] = fromUtc is { } f ? MirtLabStore.Iso(f) : null,
            ["to"] = toUtc is { } t ? MirtLabStore.Iso(t) : null,
            ["instrument"] = request.Instrument,
            ["runKeys"] = request.RunKeys,
        };
        var outcome = new ReplayOutcome(0, 0, 0, 0);
        await WithProgressAsync(output, "Queueing batches", batchIds.Count, async advance =>
        {
            foreach (var chunk in batchIds.Chunk(Chunk))
            {
                var done = await store.ReplayAsync(chunk, destinations, request.Actor, request.Reason.Trim(), audit, cancellationToken);
                outcome = new ReplayOutcome(outcome.Reopened + done.Reopened, outcome.Created + done.Created, outcome.SkippedPending + done.SkippedPending, outcome.SkippedDead + done.SkippedDead);
                advance(chunk.Length);
            }
        });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Queued {outcome.Queued} delivery(ies) ({outcome.Reopened} again, {outcome.Created} new); left {outcome.SkippedPending} already waiting and {outcome.SkippedDead} dead letters. Audited as delivery.replay by {request.Actor}."));

        if (request.Wait is not { } timeout)
        {
            output.WriteLine("The running service delivers them; follow with: mirtlab status");
            return ExitCodes.Ok;
        }

        var (initiallyDelivered, initiallyPending, initiallyDead) = await store.ReplayProgressAsync(batchIds, destinations, cancellationToken);
        var total = initiallyDelivered + initiallyPending + initiallyDead;
        var finished = false;
        await WithProgressAsync(output, "Delivering", (int)total, async advance =>
        {
            var deadline = time.GetUtcNow() + timeout;
            long reported = 0;
            while (time.GetUtcNow() < deadline)
            {
                var (delivered, pending, dead) = await store.ReplayProgressAsync(batchIds, destinations, cancellationToken);
                advance((int)(delivered + dead - reported));
                reported = delivered + dead;
                if (pending == 0)
                {
                    finished = true;
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        });
        var final = await store.ReplayProgressAsync(batchIds, destinations, cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Delivered {final.Delivered}, waiting {final.Pending}, dead letters {final.Dead}."));
        if (!finished)
        {
            error.WriteLine("Not every delivery finished in time; the service goes on delivering them (is it running? see mirtlab status).");
            return ExitCodes.NotFinished;
        }

        return ExitCodes.Ok;
    }

    /// <summary>A progress bar on a terminal; plain lines when the output is redirected (a log, a test).</summary>
    private static async Task WithProgressAsync(TextWriter output, string what, int total, Func<Action<int>, Task> work)
    {
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(what, maxValue: Math.Max(1, total));
                    await work(n => task.Increment(n));
                    task.Value = task.MaxValue;
                });
            return;
        }

        var done = 0;
        await work(n =>
        {
            done += n;
            if (n > 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {done}/{total}"));
            }
        });
    }

    private static bool TryParseBound(string? text, bool isEnd, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // A day is a UTC day; --to names the last day included.
            value = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(isEnd ? 1 : 0);
            return true;
        }

        // An instant must carry its offset: a bare local time would mean different things on different servers.
        if (DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            value = instant;
            return true;
        }

        return false;
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}

/// <summary>What <c>mirtlab replay</c> was asked to do.</summary>
/// <param name="ConfigPath">--config.</param>
/// <param name="From">--from.</param>
/// <param name="To">--to.</param>
/// <param name="Instrument">--instrument.</param>
/// <param name="RunKeys">--run-key.</param>
/// <param name="Destinations">--destination.</param>
/// <param name="Reason">--reason.</param>
/// <param name="DryRun">--dry-run.</param>
/// <param name="Wait">--wait with its timeout.</param>
/// <param name="Actor">Who asked, for the audit trail.</param>
public sealed record ReplayRequest(
    string? ConfigPath,
    string? From,
    string? To,
    string? Instrument,
    IReadOnlyList<string> RunKeys,
    IReadOnlyList<string> Destinations,
    string Reason,
    bool DryRun,
    TimeSpan? Wait,
    string Actor);
