namespace MirtLab.Lis;

/// <summary>
/// The LIS database failed repeatedly and the writer's circuit breaker is open: calls fail at once, without
/// touching the database, until the break is over. Transient: the outbox keeps the batch and tries again later.
/// </summary>
public sealed class LisUnavailableException : Exception
{
    public LisUnavailableException()
    {
    }

    public LisUnavailableException(string message)
        : base(message)
    {
    }

    public LisUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long the circuit stays open, when known.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
