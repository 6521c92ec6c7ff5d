using MirtLab.Lis;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Delivery;

/// <summary>Delivers batches into the LIS database: the run and its patient results, one transaction per batch.</summary>
public sealed class LisDestination : IDeliveryDestination
{
    private readonly LisWriter _writer;
    private readonly string _node;
    private readonly TimeProvider _time;

    public LisDestination(LisWriter writer, string node, TimeProvider time)
    {
        _writer = writer;
        _node = node;
        _time = time;
    }

    public string Name => "lis";

    public async Task DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        await _writer.EnsureSchemaAsync(cancellationToken);
        await _writer.WriteAsync(LisRows.ToBatch(batch.Run, batch.Results, _time.GetUtcNow()), cancellationToken);
    }

    public bool IsTransient(Exception exception) =>
        exception is OperationCanceledException or TimeoutException || _writer.Dialect.IsTransient(exception);

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await _writer.EnsureSchemaAsync(cancellationToken);
        await _writer.ProbeAsync(_node, cancellationToken);
    }
}
