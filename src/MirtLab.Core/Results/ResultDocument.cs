using System.Globalization;
using System.Text.Json.Serialization;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Results;

/// <summary>
/// A result as MirtLab hands it on: to <c>check --json</c>, to its own store, to the LIS mapping and as the
/// MQTT payload. One shape everywhere, versioned by <see cref="Schema"/>; see
/// <c>src/MirtLab.Core/Schemas/result.v2.schema.json</c> (v2 added patient id, dose, comments and derived observations).
/// </summary>
public sealed class ResultDocument
{
    public const string CurrentSchema = "mirtlab.result.v2";

    public string Schema { get; init; } = CurrentSchema;

    public required string ResultKey { get; init; }

    public required string RunKey { get; init; }

    /// <summary>Increments with every change of the result (QA decision, correction); consumers keep the highest.</summary>
    public int Revision { get; init; } = 1;

    public required string Instrument { get; init; }

    /// <summary>The dropped item's name (file or .D folder).</summary>
    public required string Source { get; init; }

    public required string SampleName { get; init; }

    public string? SampleId { get; init; }

    public required string SampleType { get; init; }

    /// <summary>Catalog code; null when the compound is not in the catalog.</summary>
    public string? Analyte { get; init; }

    public string? AnalyteName { get; init; }

    public string? Loinc { get; init; }

    public required string RawAnalyte { get; init; }

    /// <summary>The reported number; null for a limit (<c>&lt;5.0</c>) or no value: never 0 for "nothing".</summary>
    public decimal? Value { get; init; }

    /// <summary>UCUM code of <see cref="Value"/> and <see cref="Limit"/>.</summary>
    public string? Unit { get; init; }

    /// <summary>null for a number; <c>&lt;</c>, <c>&gt;</c>, <c>not-detected</c>, <c>no-value</c>, <c>not-reportable</c>.</summary>
    public string? Qualifier { get; init; }

    /// <summary>The limit of a <c>&lt;</c> or <c>&gt;</c> value (the run's LLOQ or ULOQ).</summary>
    public decimal? Limit { get; init; }

    /// <summary>The value as a report prints it (<c>46.5</c>, <c>&lt;5.0</c>, <c>Not detected</c>).</summary>
    public required string Display { get; init; }

    /// <summary>HL7 table 0078 codes.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    public IReadOnlyList<FlagDocument> FlagDetails { get; init; } = [];

    /// <summary><c>preliminary</c> (held), <c>final</c> (released), <c>corrected</c>; null for rows that are not patient results.</summary>
    public string? Status { get; init; }

    public IReadOnlyList<string> HoldReasons { get; init; } = [];

    /// <summary>The range judged against, as OBX-7 writes it (<c>30-80</c>).</summary>
    public string? ReferenceRange { get; init; }

    /// <summary>Nominal concentration of a calibrator or QC, in <see cref="Unit"/>.</summary>
    public decimal? Nominal { get; init; }

    public IReadOnlyList<string> VendorFlags { get; init; } = [];

    public required RawDocument Raw { get; init; }

    public AcquiredDocument? Acquired { get; init; }

    public required string ConfigVersion { get; init; }

    /// <summary>The patient, from the sample-metadata patterns; null when unknown.</summary>
    public string? PatientId { get; init; }

    /// <summary>Daily dose in mg from the sample metadata, when known.</summary>
    public decimal? DoseMgPerDay { get; init; }

    /// <summary>Interpretive comments: never a flag, never a status.</summary>
    public IReadOnlyList<CommentDocument> Comments { get; init; } = [];

    /// <summary>For a derived observation (ratio, sum, dose-normalised level): the result keys it was computed from.</summary>
    public IReadOnlyList<string> DerivedFrom { get; init; } = [];

    public static ResultDocument From(EvaluatedResult r, RunIdentity run, string configVersion) => new()
    {
        ResultKey = r.ResultKey,
        RunKey = run.RunKey,
        Instrument = run.InstrumentId,
        Source = run.SourceName,
        SampleName = r.Raw.SampleName,
        SampleId = r.Raw.SampleId,
        SampleType = r.SampleType.ToCode(),
        Analyte = r.Analyte?.Code,
        AnalyteName = r.Analyte?.Name,
        Loinc = r.Analyte?.Loinc,
        RawAnalyte = r.Raw.RawAnalyte,
        Value = r.Value.Number,
        Unit = r.Unit?.Code,
        Qualifier = r.Value.Qualifier,
        Limit = r.Value.Limit,
        Display = r.Display,
        Flags = r.Flags.Select(f => f.Code).ToList(),
        FlagDetails = r.Flags.Select(f => new FlagDocument(f.Code, f.RuleId, f.Reason, f.Thresholds, f.ConfigVersion)).ToList(),
        Status = r.Status?.ToString().ToLowerInvariant(),
        HoldReasons = r.HoldReasons,
        ReferenceRange = r.ReferenceRange,
        Nominal = r.Nominal,
        VendorFlags = r.Raw.VendorFlags,
        Raw = new RawDocument(r.Raw.RawValueText, r.Raw.RawUnit, r.Raw.Source.Line, r.Raw.Source.File, r.UnroundedNumber) { Column = r.Raw.Source.Column },
        Acquired = r.Raw.AcquiredLocal is DateTime local
            ? new AcquiredDocument(local.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), r.AcquiredUtc)
            : null,
        ConfigVersion = configVersion,
        PatientId = r.PatientId,
        DoseMgPerDay = r.DoseMgPerDay,
        Comments = r.Comments.Select(c => new CommentDocument(c.RuleId, c.Text, c.Source, c.ConfigVersion)).ToList(),
        DerivedFrom = r.DerivedFrom,
    };
}

/// <summary>An interpretive comment with the rule that produced it.</summary>
public sealed record CommentDocument(string Rule, string Text, string? Source, string ConfigVersion);

/// <summary>A flag with what raised it.</summary>
public sealed record FlagDocument(string Code, string Rule, string Reason, string Thresholds, string ConfigVersion);

/// <summary>What the instrument wrote, kept for the audit: text, unit, line (and file inside a .D folder).</summary>
public sealed record RawDocument(
    string Text,
    string? Unit,
    int Line,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? File,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? CanonicalUnrounded)
{
    /// <summary>The column, where one line holds several results.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Column { get; init; }
}

/// <summary>Acquisition time: local as the instrument wrote it, and UTC through the instrument's configured zone.</summary>
public sealed record AcquiredDocument(string Local, DateTimeOffset? Utc);
