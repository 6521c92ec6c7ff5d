using System.Diagnostics;
using System.Globalization;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Operations;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Delivery;

/// <summary>
/// Delivers one destination's outbox entries in batch order and marks each delivered. A transient failure
/// (the destination is down) leaves the entry waiting with a growing, jittered delay and pauses this
/// destination; a permanent failure is retried a few times and then parked as a dead letter with its reason.
/// Other destinations are not held up.
/// </summary>
public sealed class OutboxDispatcher : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private readonly IDeliveryDestination _destination;
    private readonly MirtLabStore _store;
    private readonly DeliverySignal _signal;
    private readonly DestinationStatus _status;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MirtLabMetrics? _metrics;

    public OutboxDispatcher(IDeliveryDestination destination, MirtLabStore store, DeliverySignal signal, DestinationStatus status, DeliveryOptions options, TimeProvider time, ILogger<OutboxDispatcher> logger, MirtLabMetrics? metrics = null)
    {
        _metrics = metrics;
        _destination = destination;
        _store = store;
        _signal = signal;
        _status = status;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string Destination => _destination.Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var delivered = await DeliverDueAsync(stoppingToken);
                if (!delivered)
                {
                    var next = await _store.NextAttemptAsync(_destination.Name, stoppingToken);
                    var wait = next is { } n ? n - _time.GetUtcNow() : IdlePoll;
                    wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > IdlePoll ? IdlePoll : wait;
                    await _signal.WaitAsync(wait, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store itself failed; nothing is lost (entries stay pending). Try again shortly.
                Log.DispatcherFailed(_logger, ex, _destination.Name, _options.RetryMinSeconds);
                await Task.Delay(TimeSpan.FromSeconds(_options.RetryMinSeconds), _time, stoppingToken);
            }
        }
    }

    /// <summary>Delivers the due entries; false when there was nothing to do or the destination is failing.</summary>
    public async Task<bool> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var due = await _store.DueAsync(_destination.Name, 100, cancellationToken);
        if (due.Count == 0)
        {
            return false;
        }

        foreach (var entry in due)
        {
            var batch = await _store.LoadBatchAsync(entry.BatchId, cancellationToken);
            using var scope = LogScope.Begin(_logger, ("Destination", _destination.Name), ("BatchId", entry.BatchId), ("RunKey", batch.Run.RunKey), ("Instrument", batch.Run.Instrument));
            var stopwatch = Stopwatch.StartNew();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(AttemptTimeout(_options, batch.Results.Count));
                await _destination.DeliverAsync(batch, attempt.Token);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var attempts = entry.Attempts + 1;
                var transient = _destination.IsTransient(ex);
                var dead = !transient && attempts >= _options.MaxPermanentAttempts;
                var next = _time.GetUtcNow() + Backoff(attempts);
                var error = $"{ex.GetType().Name}: {ex.Message}";
                await _store.MarkFailedAsync(entry.BatchId, _destination.Name, error, next, dead, CancellationToken.None);
                _status.Failed(_destination.Name, _time.GetUtcNow(), error);
                _metrics?.DeliveryFailed(_destination.Name, dead, stopwatch.Elapsed);
                if (dead)
                {
                    Log.DeadLetter(_logger, entry.BatchId, _destination.Name, attempts, error);
                    continue;
                }

                Log.DeliveryFailed(_logger, entry.BatchId, _destination.Name, attempts, next, error);
                return false;
            }

            await _store.MarkDeliveredAsync(entry.BatchId, _destination.Name, CancellationToken.None);
            _status.Succeeded(_destination.Name, _time.GetUtcNow());
            _metrics?.Delivered(_destination.Name, _time.GetUtcNow() - DateTimeOffset.Parse(entry.CreatedUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), stopwatch.Elapsed);
            Log.Delivered(_logger, entry.BatchId, batch.Results.Count, batch.Run.RunKey, _destination.Name, stopwatch.ElapsedMilliseconds);
        }

        return true;
    }

    /// <summary>
    /// Time one attempt may take: <c>Delivery:AttemptTimeoutSeconds</c> for every 10,000 results of the batch (at least
    /// once). A fixed limit would cut off a large batch on every attempt, retrying it for ever while the batches behind
    /// it wait; the slowest path measured writes 10,000 results in about 3 s.
    /// </summary>
    public static TimeSpan AttemptTimeout(DeliveryOptions options, int results) =>
        TimeSpan.FromSeconds(options.AttemptTimeoutSeconds * Math.Max(1, (results + 9_999) / 10_000));

    private TimeSpan Backoff(long attempts)
    {
        var exponential = _options.RetryMinSeconds * Math.Pow(2, Math.Min(attempts - 1, 20L));
        var capped = Math.Min(_options.RetryMaxSeconds, exponential);

        // Jitter (50–100%) so many MirtLab nodes do not retry a recovering server in lockstep.
        return TimeSpan.FromSeconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }
}
