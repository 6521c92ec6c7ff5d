using MirtLab.Worker.Store;

namespace MirtLab.Worker.Delivery;

/// <summary>
/// A place batches are delivered to (the LIS database, the MQTT broker). Delivery must be idempotent:
/// a batch delivered twice (after a crash between delivering and marking) changes nothing the second time,
/// or carries stable keys consumers de-duplicate by.
/// </summary>
public interface IDeliveryDestination
{
    /// <summary>The outbox's name for it: <c>lis</c>, <c>mqtt</c>.</summary>
    string Name { get; }

    Task DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken);

    /// <summary>True when the failure may pass by itself (a server down, a timeout), so the entry waits rather than dying.</summary>
    bool IsTransient(Exception exception);

    /// <summary>Tests the real delivery path (readiness): throws when it does not work.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
