using MirtLab.Lis;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Delivery;

/// <summary>Delivers batches into the LIS database: the run and its patient results, one transaction per batch.</summary>
public sealed class LisDestination : IDeliveryDestination, IDisposable
{
    private readonly LisWriter _writer;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ILogger<LisDestination> _logger;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private bool _schemaReady;

    public LisDestination(LisWriter writer, string node, TimeProvider time, ILogger<LisDestination> logger)
    {
        _writer = writer;
        _node = node;
        _time = time;
        _logger = logger;
    }

    public string Name => "lis";

    public async Task DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await _writer.WriteAsync(LisRows.ToBatch(batch.Run, batch.Results, _time.GetUtcNow()), cancellationToken);
    }

    public bool IsTransient(Exception exception) =>
        exception is OperationCanceledException or TimeoutException || _writer.Dialect.IsTransient(exception);

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await _writer.ProbeAsync(_node, cancellationToken);
    }

    public void Dispose() => _schemaGate.Dispose();

    /// <summary>Brings the schema up to date before the first write; the LIS may be down at start, so this is retried with deliveries.</summary>
    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                var applied = await _writer.MigrateAsync(cancellationToken);
                Log.LisSchema(_logger, _writer.Dialect.Name, applied.Count == 0 ? "none (already current)" : string.Join(", ", applied));
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
