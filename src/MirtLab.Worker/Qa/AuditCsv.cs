using System.Globalization;
using MirtLab.Core.Audit;

namespace MirtLab.Worker.Qa;

/// <summary>The audit trail as CSV (RFC 4180) for an inspector: one row per record, the chain's hashes included, so the export can be checked on its own.</summary>
public static class AuditCsv
{
    public static readonly IReadOnlyList<string> Header = ["seq", "at_utc", "actor", "action", "subject", "details_json", "prev_hash", "hash"];

    public static void Write(IEnumerable<AuditRecord> records, TextWriter writer)
    {
        writer.Write(string.Join(',', Header));
        writer.Write("\r\n");
        foreach (var r in records)
        {
            writer.Write(string.Join(',', new[]
            {
                r.Sequence.ToString(CultureInfo.InvariantCulture),
                r.AtUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                Field(r.Actor),
                Field(r.Action),
                Field(r.Subject),
                Field(r.DetailsJson),
                r.PreviousHash,
                r.Hash,
            }));
            writer.Write("\r\n");
        }
    }

    /// <summary>Quotes a field when it needs it; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
