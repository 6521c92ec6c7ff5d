using System.Text;
using MirtLab.Core.Audit;
using MirtLab.Worker.Qa;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>The audit trail's CSV export: RFC 4180, read back, and no cell a spreadsheet would run as a formula.</summary>
public sealed class AuditCsvTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=cmd()", "\"'=cmd()\"")]
    [InlineData("@SUM(1)", "\"'@SUM(1)\"")]
    [InlineData("x;=1+1", "\"x;'=1+1\"")]
    [InlineData("x;\"=1+1", "\"x;'\"\"=1+1\"")]
    [InlineData("a\n-1", "\"a\n'-1\"")]
    [InlineData("dose -1 mg; ok", "\"dose -1 mg; ok\"")]
    public void Field_IsAlwaysQuoted_AndEveryPlaceACellCanStartIsDefused(string value, string expected) =>
        Assert.Equal(expected, AuditCsv.Field(value));

    /// <summary>An anonymous failed sign-in writes the typed name into actor and subject; the lab's Excel splits at <c>;</c>.</summary>
    [Theory]
    [InlineData("x;=1+1", "x;'=1+1")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("x;\"=1+1\";-2", "x;'\"=1+1\";'-2")]
    [InlineData("x\r\n+cmd|' /C calc'!A0", "x\r\n'+cmd|' /C calc'!A0")]
    public void Export_FailedSignInNameWithAFormula_IsQuoted_AndStartsNoFormulaWithCommaOrSemicolonSeparators(string name, string exported)
    {
        var at = new DateTimeOffset(2026, 3, 2, 8, 15, 0, TimeSpan.Zero);
        const string details = """{"reason":"unknown user","knownUser":false,"remote":"10.0.0.7"}""";
        var hash = AuditChain.ComputeHash(1, at, name, "sign-in.failed", name, details, AuditChain.Genesis);
        var record = new AuditRecord(1, at, name, "sign-in.failed", name, details, AuditChain.Genesis, hash);
        var csv = new StringWriter();

        AuditCsv.Write([record], csv);

        // Read back as RFC 4180: the header, one row of 8 fields, the hashes as they are.
        var rows = Cells(csv.ToString(), ',');
        Assert.Equal(2, rows.Count);
        Assert.Equal(AuditCsv.Header, rows[0]);
        Assert.Equal(new[] { "1", "2026-03-02T08:15:00.0000000Z", exported, "sign-in.failed", exported, details, AuditChain.Genesis, hash }, rows[1]);
        Assert.True(AuditChain.Verify([record]).IsIntact);
        Assert.Contains($",{AuditCsv.Field(name)},\"sign-in.failed\",{AuditCsv.Field(name)},", csv.ToString(), StringComparison.Ordinal);

        foreach (var separator in new[] { ',', ';' })
        {
            Assert.All(Cells(csv.ToString(), separator).SelectMany(r => r), cell =>
                Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"with '{separator}' a cell starts a formula: {cell}"));
        }
    }

    /// <summary>
    /// Splits CSV as Excel does with the given list separator: a cell that starts with a quote is quoted text (a doubled
    /// quote is one quote; what follows the closing quote is appended as it is); any other cell runs to the next separator
    /// or line break, its quotes taken literally. With ',' that is RFC 4180.
    /// </summary>
    private static List<List<string>> Cells(string csv, char separator)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var i = 0;
        while (i < csv.Length)
        {
            if (csv[i] == '"')
            {
                for (i++; i < csv.Length; i++)
                {
                    if (csv[i] == '"')
                    {
                        if (i + 1 < csv.Length && csv[i + 1] == '"')
                        {
                            cell.Append('"');
                            i++;
                            continue;
                        }

                        i++;
                        break;
                    }

                    cell.Append(csv[i]);
                }
            }

            while (i < csv.Length && csv[i] != separator && csv[i] is not '\r' and not '\n')
            {
                cell.Append(csv[i++]);
            }

            row.Add(cell.ToString());
            cell.Clear();
            if (i < csv.Length && csv[i] == separator)
            {
                i++;
                continue;
            }

            rows.Add(row);
            row = [];
            i += i + 1 < csv.Length && csv[i] == '\r' && csv[i + 1] == '\n' ? 2 : 1;
        }

        return rows;
    }
}
