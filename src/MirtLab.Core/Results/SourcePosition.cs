namespace MirtLab.Core.Results;

/// <summary>
/// Where a result came from: the file inside the dropped item (null for a single file), the 1-based line, and
/// the 1-based column where one line holds several results (MassHunter's compound table: a sample per column group).
/// </summary>
public sealed record SourcePosition(string? File, int Line, int? Column = null);
