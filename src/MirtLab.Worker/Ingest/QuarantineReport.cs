using System.Text.Json;
using System.Text.Json.Nodes;
using MirtLab.Core;
using MirtLab.Core.Diagnostics;

namespace MirtLab.Worker.Ingest;

/// <summary>
/// The <c>&lt;name&gt;.error.json</c> written beside a quarantined input: why it was refused (diagnostic codes,
/// lines, columns), which reader tried, the content hash and the time, and what the technician can do.
/// </summary>
public static class QuarantineReport
{
    public const string Suffix = ".error.json";

    public static string Build(string name, string instrument, string sha256, string? reader, DateTimeOffset rejectedUtc, IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.IsError).ToList();
        var report = new JsonObject
        {
            ["file"] = name,
            ["instrument"] = instrument,
            ["sha256"] = sha256,
            ["reader"] = reader,
            ["rejectedUtc"] = rejectedUtc.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["reason"] = errors.Count > 0 ? errors[0].ToString() : "rejected",
            ["errorCount"] = errors.Count,
            ["diagnostics"] = new JsonArray(diagnostics.Select(d => (JsonNode)new JsonObject
            {
                ["code"] = d.Code,
                ["severity"] = d.Severity.ToString().ToLowerInvariant(),
                ["file"] = d.File,
                ["line"] = d.Line,
                ["column"] = d.Column,
                ["message"] = d.Message,
            }).ToArray()),
            ["whatToDo"] = "Nothing of this file was published. Correct the export (see the diagnostics) and drop it into the inbox again. This copy stays here; MirtLab never deletes it.",
        };
        return report.ToJsonString(MirtLabJson.Indented);
    }

    /// <summary>Rebuilds the report from the diagnostics the store kept (after a crash between recording and writing it).</summary>
    public static string Rebuild(Store.StoredInput input, DateTimeOffset now)
    {
        var diagnostics = JsonSerializer.Deserialize(input.DiagnosticsJson, MirtLabJson.Default.ListDiagnostic) ?? [];
        return Build(input.Name, input.Instrument, input.Sha256, input.Format, now, diagnostics);
    }
}
