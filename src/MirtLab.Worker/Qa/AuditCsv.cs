using System.Globalization;
using System.Text;
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

    /// <summary>
    /// A text field, always quoted. Quoting alone does not stop a formula: Excel runs a quoted <c>"=1+1"</c>. And where the
    /// list separator is <c>;</c> (German Excel opens a .csv that way) a row of this file starts unquoted, so Excel takes
    /// its quotes literally and starts a cell after every <c>;</c> (or line break). So wherever a cell can start, a
    /// = + - @ tab or CR, or a quote that would open that cell's own quoted text, gets a <c>'</c> before it.
    /// </summary>
    public static string Field(string value)
    {
        var text = new StringBuilder(value.Length + 8).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var afterSeparator = i > 0 && value[i - 1] is ';' or '\t' or '\r' or '\n';
            if (((i == 0 || afterSeparator) && c is '=' or '+' or '-' or '@' or '\t' or '\r') || (afterSeparator && c == '"'))
            {
                text.Append('\'');
            }

            if (c == '"')
            {
                text.Append('"');
            }

            text.Append(c);
        }

        return text.Append('"').ToString();
    }
}
