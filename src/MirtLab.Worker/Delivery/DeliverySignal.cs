namespace MirtLab.Worker.Delivery;

/// <summary>Wakes the dispatchers as soon as the ingest has committed new outbox entries, instead of waiting for their next poll.</summary>
public sealed class DeliverySignal
{
    private readonly object _gate = new();
    private TaskCompletionSource _next = NewSource();

    /// <summary>Wakes everyone waiting now.</summary>
    public void Notify()
    {
        TaskCompletionSource current;
        lock (_gate)
        {
            current = _next;
            _next = NewSource();
        }

        current.TrySetResult();
    }

    /// <summary>Waits for the next notification or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task signalled;
        lock (_gate)
        {
            signalled = _next.Task;
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, timeoutSource.Token);
        await Task.WhenAny(signalled, delay);
        await timeoutSource.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
