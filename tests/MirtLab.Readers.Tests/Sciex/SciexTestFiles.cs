using System.Globalization;
using System.Text;

namespace MirtLab.Readers.Tests.Sciex;

/// <summary>Small in-memory SCIEX exports for focused tests; the golden cases carry the full-size layouts.</summary>
internal static class SciexTestFiles
{
    public static ReaderContext Context(string culture = "en-US", string? defaultUnit = null) =>
        new() { InstrumentId = "test", Culture = CultureInfo.GetCultureInfo(culture), DefaultUnit = defaultUnit };

    /// <summary>Tab-delimited lines joined with CRLF, as a file.</summary>
    public static ReadSource Source(params string[] lines) =>
        ReadSource.FromBytes("export.txt", Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"));

    public static string Row(params string[] fields) => string.Join('\t', fields);

    public static ReadOutput Read(IInstrumentReader reader, ReadSource source, ReaderContext? context = null)
    {
        var output = new ReadOutput { FormatId = reader.FormatId };
        reader.Read(source, context ?? Context(), output);
        return output;
    }

    /// <summary>An Analyst results table with one regression block and a minimal short-label table.</summary>
    public static ReadSource Analyst(string fit, string weighting, params string[] coefficientLines)
    {
        var lines = new List<string>
        {
            "Peak Name: Mirtazapine-d3", "Use as Internal Standard", "Q1/Q3 Masses: 269.20/195.10 Da", string.Empty,
            "Peak Name: Mirtazapine", "Internal Standard: Mirtazapine-d3", "Q1/Q3 Masses: 266.20/195.10 Da", string.Empty,
            Row("Fit", fit, "Weighting", weighting, "Iterate", "No"),
        };
        lines.AddRange(coefficientLines);
        lines.AddRange(["Use Area", string.Empty, string.Empty, string.Empty]);
        lines.Add(Row("Sample Name", "Sample ID", "Filetype", "Peak Name", "Units", "Conc.", "Calc.Conc.", string.Empty));
        lines.Add(Row("P-26-0412", "20", "Unknown", "Mirtazapine", "ng/mL", "N/A", "39.7", string.Empty));
        return Source([.. lines]);
    }
}
