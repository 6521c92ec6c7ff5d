using System.Globalization;

namespace MirtLab.Readers;

/// <summary>
/// What a reader needs to know about the instrument that produced an export: its culture for numbers
/// and dates, extra date formats, and the unit when the export states none (MassHunter).
/// </summary>
public sealed class ReaderContext
{
    public required string InstrumentId { get; init; }

    /// <summary>The exporting PC's culture: decimal comma on German systems.</summary>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>Date formats to try first (.NET custom format strings), before the vendor formats in the culture's date order.</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];

    /// <summary>The unit of concentrations when the export states none (method configuration).</summary>
    public string? DefaultUnit { get; init; }

    /// <summary>Lines longer than this are refused (a binary or corrupt file), in characters.</summary>
    public int MaxLineLength { get; init; } = 1 << 20;

    /// <summary>After this many errors a reader stops: the file is rejected anyway, and the report stays readable.</summary>
    public int MaxErrors { get; init; } = 50;

    public CancellationToken CancellationToken { get; init; }

    public static ReaderContext Default(string instrumentId = "default") => new() { InstrumentId = instrumentId };
}
