using System.Globalization;
using System.Text.Json;
using MirtLab.Core;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Lis;

/// <summary>A row of <c>mirtlab_runs</c>.</summary>
public sealed record LisRunRow(
    string RunKey,
    string Instrument,
    string Format,
    string SourceFile,
    string FileSha256,
    string Outcome,
    string? AcquiredLocal,
    string? AcquiredUtc,
    string ConfigVersion,
    int PatientResults,
    int HeldResults,
    string UpdatedUtc);

/// <summary>
/// A row of <c>mirtlab_results</c> (and, in part, of <c>mirtlab_result_history</c>). <see cref="Comments"/> holds the
/// interpretive comment texts joined by <c> | </c>, <see cref="DerivedFrom"/> the result keys a derived observation
/// was computed from, joined by commas; both null when there are none.
/// </summary>
public sealed record LisResultRow(
    string ResultKey,
    string RunKey,
    int Revision,
    string Instrument,
    string SampleName,
    string? SampleId,
    string AnalyteCode,
    string? AnalyteName,
    string? Loinc,
    decimal? Value,
    string? Unit,
    string? Qualifier,
    decimal? LimitValue,
    string DisplayValue,
    string Flags,
    string? ReferenceRange,
    string Status,
    string? HoldReasons,
    string RawValue,
    string? RawUnit,
    string SourceFile,
    int SourceLine,
    string? InstrumentTimeLocal,
    string? InstrumentTimeUtc,
    string ConfigVersion,
    string DocumentJson,
    string UpdatedUtc,
    string? PatientId,
    decimal? DoseMgPerDay,
    string? Comments,
    string? DerivedFrom);

/// <summary>What one delivery writes: a run and its patient results, in one transaction.</summary>
public sealed record LisBatch(LisRunRow Run, IReadOnlyList<LisResultRow> Results);

/// <summary>Maps MirtLab's documents to the LIS interface rows.</summary>
public static class LisRows
{
    /// <summary>HL7 OBX-11 result status: P preliminary, F final, C corrected.</summary>
    public static string StatusCode(string? status) => status switch
    {
        "final" => "F",
        "corrected" => "C",
        _ => "P",
    };

    public static LisBatch ToBatch(RunDocument run, IEnumerable<ResultDocument> results, DateTimeOffset nowUtc)
    {
        var now = Utc(nowUtc)!;
        var runRow = new LisRunRow(
            run.RunKey, run.Instrument, run.Format, run.Source, run.Sha256, run.Outcome,
            run.AcquiredLocal, Utc(run.AcquiredUtc), run.ConfigVersion, run.PatientResultCount, run.HeldCount, now);
        var rows = results
            .Where(r => r.Analyte is not null)
            .Select(r => new LisResultRow(
                r.ResultKey,
                r.RunKey,
                r.Revision,
                r.Instrument,
                r.SampleName,
                r.SampleId,
                r.Analyte!,
                r.AnalyteName,
                r.Loinc,
                r.Value,
                r.Unit,
                r.Qualifier,
                r.Limit,
                r.Display,
                string.Join('~', r.Flags),
                r.ReferenceRange,
                StatusCode(r.Status),
                r.HoldReasons.Count == 0 ? null : string.Join(" | ", r.HoldReasons),
                r.Raw.Text,
                r.Raw.Unit,
                r.Raw.File is null ? r.Source : $"{r.Source}/{r.Raw.File}",
                r.Raw.Line,
                r.Acquired?.Local,
                Utc(r.Acquired?.Utc),
                r.ConfigVersion,
                JsonSerializer.Serialize(r, MirtLabJson.Default.ResultDocument),
                now,
                r.PatientId,
                r.DoseMgPerDay,
                r.Comments.Count == 0 ? null : string.Join(" | ", r.Comments.Select(c => c.Text)),
                r.DerivedFrom.Count == 0 ? null : string.Join(',', r.DerivedFrom)))
            .ToList();
        return new LisBatch(runRow, rows);
    }

    /// <summary>An instant as the LIS tables hold it: UTC, milliseconds, ISO 8601 (text sorts in time order on SQLite).</summary>
    internal static string? Utc(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
