using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MirtLab.Lis.Tests.Support;

/// <summary>Keeps what the writer logged, to assert on event ids.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> Entries { get; } = new();

    public IReadOnlyList<int> EventIds => [.. Entries.Select(e => e.Id.Id)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Entries.Enqueue((eventId, logLevel, formatter(state, exception)));
    }
}
