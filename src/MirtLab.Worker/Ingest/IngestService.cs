using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Operations;
using MirtLab.Worker.Processing;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Ingest;

/// <summary>
/// The drop-folder lifecycle. A periodic scan finds inbox entries (a file-system watcher only hints);
/// an entry is taken once stable and openable exclusively, claimed by a move to <c>work/</c>, hashed,
/// read and evaluated, recorded in the store, and moved to <c>archive/</c> (accepted, duplicate) or
/// <c>quarantine/</c> with an error report (bad input). Anything left in <c>work/</c> by a crash or an
/// outage is finished first on every cycle; nothing is ever deleted.
/// </summary>
public sealed class IngestService : BackgroundService
{
    private readonly MirtLabSettings _settings;
    private readonly MirtLabStore _store;
    private readonly InputProcessor _processor;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestService> _logger;
    private readonly Dictionary<string, StabilityTracker> _trackers = new(StringComparer.Ordinal);
    private readonly DeliverySignal _hint = new();
    private readonly IRunHistory _previous;
    private readonly IngestTelemetry _telemetry;

    public IngestService(MirtLabSettings settings, MirtLabStore store, InputProcessor processor, IRunHistory previous, DeliverySignal signal, TimeProvider time, ILogger<IngestService> logger, IngestTelemetry telemetry)
    {
        _telemetry = telemetry;
        _previous = previous;
        _settings = settings;
        _store = store;
        _processor = processor;
        _signal = signal;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchers = new List<FileSystemWatcher>();
        try
        {
            foreach (var instrument in _settings.Instruments)
            {
                Directory.CreateDirectory(instrument.Inbox);
                Directory.CreateDirectory(WorkFolder(instrument));
                _trackers[instrument.Id] = new StabilityTracker();
                watchers.Add(Watch(instrument.Inbox));
                Log.Watching(_logger, instrument.Id, instrument.Inbox, instrument.Culture.Name.Length == 0 ? "invariant" : instrument.Culture.Name, instrument.TimeZone.Id);
            }

            await ConfirmFinishedMovesAsync(stoppingToken);
            var interval = TimeSpan.FromSeconds(_settings.Ingest.ScanIntervalSeconds);
            var window = TimeSpan.FromSeconds(_settings.Ingest.StabilitySeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(stoppingToken);
                var wait = interval;
                foreach (var tracker in _trackers.Values)
                {
                    if (tracker.NextDue(window) is { } due)
                    {
                        var untilDue = due - _time.GetUtcNow();
                        wait = untilDue < wait ? (untilDue < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : untilDue) : wait;
                    }
                }

                await _hint.WaitAsync(wait, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    /// <summary>
    /// A crash after an input reached archive or quarantine but before the store heard of it leaves the record open
    /// with nothing in work: the record is closed, also when the input has moved on since (requeued from quarantine).
    /// (One still in work is finished by the next cycle.)
    /// </summary>
    private async Task ConfirmFinishedMovesAsync(CancellationToken cancellationToken)
    {
        foreach (var input in await _store.UnfinalizedAsync(cancellationToken))
        {
            if (!DropFolder.Exists(input.WorkPath))
            {
                await _store.MarkFinalizedAsync(input.Id, CancellationToken.None);
                Log.MoveFinishedBeforeCrash(_logger, input.Name, input.Id, input.FinalPath);
            }
        }
    }

    /// <summary>One cycle over every instrument: finish leftovers in work, then take stable inbox entries.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromSeconds(_settings.Ingest.StabilitySeconds);
        foreach (var instrument in _settings.Instruments)
        {
            await GuardAsync(Path.Combine(WorkFolder(instrument), DropFolder.ClaimingFolder), () =>
            {
                foreach (var step in DropFolder.RecoverClaims(instrument.Inbox, WorkFolder(instrument)))
                {
                    Log.ClaimRecovered(_logger, instrument.Id, step);
                }

                return Task.CompletedTask;
            });

            foreach (var leftover in Leftovers(instrument))
            {
                await GuardAsync(leftover, () => ProcessClaimedAsync(instrument, leftover, cancellationToken));
            }

            var tracker = _trackers.TryGetValue(instrument.Id, out var t) ? t : _trackers[instrument.Id] = new StabilityTracker();
            var stable = tracker.Observe(DropFolder.Snapshot(instrument.Inbox), _time.GetUtcNow(), window);
            foreach (var entry in stable)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!DropFolder.CanOpenExclusively(entry.Path))
                {
                    Log.Locked(_logger, entry.Path);
                    continue;
                }

                await GuardAsync(entry.Path, async () =>
                {
                    var workPath = DropFolder.Claim(entry.Path, WorkFolder(instrument));
                    tracker.Forget(entry.Path);
                    _telemetry.Received(instrument.Id);
                    Log.Claimed(_logger, Path.GetFileName(entry.Path), instrument.Id, workPath);
                    await ProcessClaimedAsync(instrument, workPath, cancellationToken);
                });
            }
        }
    }

    private async Task GuardAsync(string path, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not bad input: an outage (disk, store) or a bug. The entry stays in inbox or work and is retried.
            Log.IngestFailed(_logger, ex, path);
        }
    }

    /// <summary>Everything after the claim: hash, recover or de-duplicate, read and evaluate, record, move.</summary>
    private async Task ProcessClaimedAsync(InstrumentSettings instrument, string workPath, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(workPath);
        using var fileScope = _telemetry.BeginFile(instrument.Id, name);
        // A symbolic link is never followed (it could point at any file the service may read): it is quarantined unread,
        // identified by what it says rather than by content.
        var links = DropFolder.Links(workPath);
        var source = links.Count > 0 ? null : ReadSource.FromPath(workPath);
        var sha = source is null ? InputHasher.Compute(string.Join('\n', links)) : InputHasher.Compute(source, cancellationToken);
        using var contentScope = _telemetry.BeginContent(sha);
        if (await _store.FindUnfinalizedAsync(workPath, cancellationToken) is { } interrupted)
        {
            // Only this very content, not yet at its final place, is the interrupted input. Otherwise the record's own
            // move finished before the crash and a later export of the same name is in work: it is read like any other.
            if (interrupted.Sha256 == sha && !DropFolder.Exists(interrupted.FinalPath))
            {
                Finalize(interrupted, workPath);
                await _store.MarkFinalizedAsync(interrupted.Id, CancellationToken.None);
                Log.Recovered(_logger, name, interrupted.Outcome, interrupted.FinalPath);
                return;
            }

            await _store.MarkFinalizedAsync(interrupted.Id, CancellationToken.None);
            Log.MoveFinishedBeforeCrash(_logger, interrupted.Name, interrupted.Id, interrupted.FinalPath);
        }

        var now = _time.GetUtcNow();
        var receipt = new InputReceipt(sha, name, instrument.Id, source?.IsFolder ?? Directory.Exists(workPath), source?.TotalLength ?? 0, workPath, string.Empty, now);

        if (await _store.FindAcceptedAsync(sha, cancellationToken) is { } original)
        {
            receipt = receipt with { FinalPath = DropFolder.FreePath(Path.Combine(ArchiveFolder(instrument, now), "duplicates"), name) };
            var id = await _store.RecordDuplicateAsync(receipt, original, CancellationToken.None);
            DropFolder.Move(workPath, receipt.FinalPath);
            await _store.MarkFinalizedAsync(id, CancellationToken.None);
            _telemetry.Duplicate(instrument.Id);
            Log.Duplicate(_logger, name, sha, instrument.Id, original.Id, original.Name, receipt.FinalPath);
            return;
        }

        ProcessedInput processed;
        if (source is null)
        {
            processed = new ProcessedInput(null, null, [new Diagnostic(DiagnosticCodes.SymbolicLink, DiagnosticSeverity.Error,
                $"the input is or holds a symbolic link ({string.Join("; ", links)}); MirtLab reads only what was dropped into the inbox, never what a link points to, so nothing was read")]);
        }
        else if (source.TotalLength > _settings.Ingest.MaxInputMegabytes * 1024 * 1024)
        {
            processed = new ProcessedInput(null, null, [new Diagnostic(DiagnosticCodes.InputTooLarge, DiagnosticSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"the input is {source.TotalLength / (1024 * 1024)} MB, more than the {_settings.Ingest.MaxInputMegabytes} MB allowed (Ingest:MaxInputMegabytes)"))]);
        }
        else
        {
            processed = await _processor.ProcessAsync(source, sha, instrument, _previous, cancellationToken: cancellationToken);
        }

        _telemetry.Read(name, processed);
        if (processed.IsRejected)
        {
            receipt = receipt with { FinalPath = DropFolder.FreePath(QuarantineFolder(instrument), name, QuarantineReport.Suffix) };
            var id = await _store.RecordRejectedAsync(receipt, processed.FormatId, processed.Diagnostics, CancellationToken.None);
            DropFolder.WriteAtomically(receipt.FinalPath + QuarantineReport.Suffix,
                QuarantineReport.Build(name, instrument.Id, sha, processed.FormatId, now, processed.Diagnostics));
            DropFolder.Move(workPath, receipt.FinalPath);
            await _store.MarkFinalizedAsync(id, CancellationToken.None);
            var first = processed.Diagnostics.FirstOrDefault(d => d.IsError);
            Log.Rejected(_logger, name, sha, instrument.Id, first?.ToString() ?? "rejected", receipt.FinalPath);
            _telemetry.Rejected(instrument.Id, processed);
            return;
        }

        var run = processed.Run!;
        receipt = receipt with { FinalPath = DropFolder.FreePath(ArchiveFolder(instrument, now), name) };
        var inputId = await _store.RecordAcceptedAsync(receipt, run, _settings.Destinations, CancellationToken.None);
        _signal.Notify();
        DropFolder.Move(workPath, receipt.FinalPath);
        await _store.MarkFinalizedAsync(inputId, CancellationToken.None);
        var patients = run.PatientResults.ToList();
        Log.Accepted(_logger, name, sha, instrument.Id, run.Identity.FormatId, run.Identity.RunKey,
            Core.Runs.RunDocument.From(run).Outcome, patients.Count, patients.Count(p => p.Status != Core.Results.ResultStatus.Final), receipt.FinalPath);
        _telemetry.Accepted(instrument.Id, run);
    }

    /// <summary>Completes the move of an input whose outcome was recorded before a crash.</summary>
    private void Finalize(StoredInput input, string workPath)
    {
        if (input.Outcome == "rejected" && !File.Exists(input.FinalPath + QuarantineReport.Suffix))
        {
            DropFolder.WriteAtomically(input.FinalPath + QuarantineReport.Suffix, QuarantineReport.Rebuild(input, _time.GetUtcNow()));
        }

        DropFolder.Move(workPath, input.FinalPath);
    }

    private List<string> Leftovers(InstrumentSettings instrument)
    {
        var folder = WorkFolder(instrument);
        return Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder).Where(p => !DropFolder.IsIgnored(Path.GetFileName(p))).OrderBy(p => p, StringComparer.Ordinal).ToList()
            : [];
    }

    private FileSystemWatcher Watch(string inbox)
    {
        var watcher = new FileSystemWatcher(inbox) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite };
        watcher.Created += (_, _) => _hint.Notify();
        watcher.Changed += (_, _) => _hint.Notify();
        watcher.Renamed += (_, _) => _hint.Notify();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private string WorkFolder(InstrumentSettings instrument) => Path.Combine(_settings.WorkRoot, instrument.Id);

    private string QuarantineFolder(InstrumentSettings instrument) => Path.Combine(_settings.QuarantineRoot, instrument.Id);

    private string ArchiveFolder(InstrumentSettings instrument, DateTimeOffset now) =>
        Path.Combine(_settings.ArchiveRoot, instrument.Id, now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
