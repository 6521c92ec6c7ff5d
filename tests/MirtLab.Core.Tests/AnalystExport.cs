using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

/// <summary>
/// Just enough of a SCIEX Analyst results-table reader for Core tests over the real exports in ../shared/corpus
/// (Core tests do not depend on MirtLab.Readers): the header's fit block and, per row, type, nominal and calculated
/// concentration, areas, retention time, Use Record and acquisition time.
/// </summary>
internal static class AnalystExport
{
    public static string? CorpusFile(string name) =>
        MirtLab.Testing.RepoPaths.SharedCorpus is { } corpus && File.Exists(Path.Combine(corpus, "sciex-analyst", name)) ? Path.Combine(corpus, "sciex-analyst", name) : null;

    public static RunInput Load(string path)
    {
        var lines = File.ReadAllLines(path, System.Text.Encoding.Latin1);
        var headerAt = Array.FindIndex(lines, l => l.StartsWith("Sample Name\t", StringComparison.Ordinal));
        var fit = new Dictionary<string, string>(StringComparer.Ordinal);
        string? analyte = null, internalStandard = null;
        for (var i = 0; i < headerAt; i++)
        {
            var cells = lines[i].Split('\t');
            if (lines[i].StartsWith("Peak Name: ", StringComparison.Ordinal) && lines[i + 1] != "Use as Internal Standard")
            {
                analyte = lines[i]["Peak Name: ".Length..].Trim();
            }
            else if (lines[i].StartsWith("Internal Standard: ", StringComparison.Ordinal))
            {
                internalStandard = lines[i]["Internal Standard: ".Length..].Trim();
            }
            else if (cells.Length >= 4 && cells[0] == "Fit")
            {
                fit["Fit"] = cells[1];
                fit["Weighting"] = cells[3];
            }
            else if (cells.Length == 2)
            {
                fit[cells[0]] = cells[1];
            }
        }

        var quadratic = fit["Fit"] == "Quadratic";
        var weighting = string.Concat(fit["Weighting"].Where(c => !char.IsWhiteSpace(c))) switch
        {
            "None" => Weighting.None,
            "1/x" => Weighting.OneOverX,
            "1/(x*x)" => Weighting.OneOverXSquared,
            var other => throw new InvalidOperationException("weighting " + other),
        };
        var coefficients = quadratic ? new[] { Num(fit["a0"]), Num(fit["a1"]), Num(fit["a2"]) } : new[] { Num(fit["Intercept"]), Num(fit["Slope"]) };
        var calibration = new VendorCalibration(analyte!, internalStandard, quadratic ? FitModel.Quadratic : FitModel.Linear, weighting, coefficients, Num(fit["Correlation coefficient"]), "area", 9);

        var header = lines[headerAt].Split('\t');
        int Col(string name) => Array.IndexOf(header, name);
        var rows = new List<InstrumentResult>();
        for (var i = headerAt + 1; i < lines.Length; i++)
        {
            var c = lines[i].Split('\t');
            if (c.Length < 10)
            {
                continue;
            }

            var calc = c[Col("Calc.Conc.")];
            var isNumber = double.TryParse(calc, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            rows.Add(new InstrumentResult
            {
                Source = new SourcePosition(null, i + 1),
                SampleName = c[0],
                SampleType = c[Col("Filetype")] switch { "Standard" => SampleType.Standard, "Quality Control" => SampleType.QualityControl, _ => SampleType.Unknown },
                RawAnalyte = c[Col("Peak Name")],
                InternalStandard = internalStandard,
                RawValueText = calc,
                Value = isNumber ? ResultValue.FromNumber(decimal.Parse(calc, NumberStyles.Float, CultureInfo.InvariantCulture)) : calc == "No Peak" ? ResultValue.NotDetected(calc) : ResultValue.NoValue(calc),
                RawUnit = c[Col("Units")],
                Nominal = decimal.TryParse(c[Col("Conc.")], NumberStyles.Float, CultureInfo.InvariantCulture, out var nominal) ? nominal : null,
                Area = Maybe(c[Col("Area")]),
                InternalStandardArea = Maybe(c[Col("IS Area")]),
                RetentionTime = Maybe(c[Col("R.T.")]),
                UsedInCalibration = c[Col("Use Record")] switch { "1" => true, "0" => false, _ => null },
                AcquiredLocal = DateTime.ParseExact(c[Col("Date Of Acq.")], "d-MMM-yyyy H:mm:ss", CultureInfo.InvariantCulture),
            });
        }

        return new RunInput(
            new RunIdentity(RunBuilder.Sha, Path.GetFileName(path), "sciex-analyst-results", "tq5500"),
            new RunInfo { Calibrations = [calibration] },
            rows,
            TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
            []);
    }

    private static double? Maybe(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double Num(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
