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

/// <summary>An input record from the store.</summary>
public sealed record StoredInput(
    long Id,
    string Sha256,
    string Name,
    string Instrument,
    string Outcome,
    string? Format,
    string WorkPath,
    string FinalPath,
    string? FinalizedUtc,
    string ReceivedUtc,
    string DiagnosticsJson);

/// <summary>One delivery unit for one destination: a run and the patient results (revisions) it carries.</summary>
public sealed record DeliveryBatch(long BatchId, string Kind, RunDocument Run, IReadOnlyList<ResultDocument> Results);

/// <summary>An outbox entry that is due.</summary>
public sealed record OutboxEntry(long BatchId, string Destination, long Attempts, string CreatedUtc);

/// <summary>A destination's backlog: entries waiting, the oldest of them, and dead letters.</summary>
public sealed record DestinationBacklog(string Destination, long Pending, string? OldestPendingUtc, long Dead, string? LastError);
