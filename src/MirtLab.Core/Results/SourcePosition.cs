namespace MirtLab.Core.Results;

/// <summary>Where a result came from: the file inside the dropped item (null for a single file) and the 1-based line.</summary>
public sealed record SourcePosition(string? File, int Line);
