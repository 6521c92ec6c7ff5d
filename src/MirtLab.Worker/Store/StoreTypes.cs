using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Worker.Store;

/// <summary>What the ingest knows about an input when it records the outcome.</summary>
public sealed record InputReceipt(
    string Sha256,
    string Name,
    string Instrument,
    bool IsFolder,
    long SizeBytes,
    string WorkPath,
    string FinalPath,
    DateTimeOffset ReceivedUtc);

/// <summary>An input record from the store (a class with setters: Dapper maps SQLite NULLs into it whatever their storage class).</summary>
public sealed class StoredInput
{
    public long Id { get; init; }

    public string Sha256 { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string Instrument { get; init; } = string.Empty;

    public string Outcome { get; init; } = string.Empty;

    public string? Format { get; init; }

    public string WorkPath { get; init; } = string.Empty;

    public string FinalPath { get; init; } = string.Empty;

    public string? FinalizedUtc { get; init; }

    public string ReceivedUtc { get; init; } = string.Empty;

    public string DiagnosticsJson { get; init; } = "[]";
}

/// <summary>One delivery unit for one destination: a run and the patient results (revisions) it carries.</summary>
public sealed record DeliveryBatch(long BatchId, string Kind, RunDocument Run, IReadOnlyList<ResultDocument> Results);

/// <summary>An outbox entry that is due.</summary>
public sealed class OutboxEntry
{
    public long BatchId { get; init; }

    public string Destination { get; init; } = string.Empty;

    public long Attempts { get; init; }

    public string CreatedUtc { get; init; } = string.Empty;
}

/// <summary>A destination's backlog: entries waiting, the oldest of them, and dead letters.</summary>
public sealed class DestinationBacklog
{
    public string Destination { get; init; } = string.Empty;

    public long Pending { get; init; }

    public string? OldestPendingUtc { get; init; }

    public long Dead { get; init; }

    public string? LastError { get; init; }
}
