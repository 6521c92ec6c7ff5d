using System.Globalization;
using System.Text;
using MirtLab.Testing;

namespace MirtLab.Benchmarks;

/// <summary>What kind of export to write.</summary>
internal enum ExportFormat
{
    /// <summary>SCIEX Analyst results table: one line per injection × compound (analyte, metabolite, internal standard).</summary>
    SciexAnalyst,

    /// <summary>Agilent MassHunter Quant wide CSV: one line per injection, compounds in column groups.</summary>
    MassHunterQuant,
}

/// <summary>A generated export on disk and what is in it.</summary>
internal sealed record GeneratedExport(string Path, ExportFormat Format, int DataLines, int Injections, long Bytes)
{
    public string Label => $"{(Format == ExportFormat.SciexAnalyst ? "Analyst" : "MassHunter")} {DataLines.ToString("N0", CultureInfo.InvariantCulture)} rows";
}

/// <summary>
/// Writes realistic exports modelled on the golden inputs (the mirtazapine plate and the MassHunter batch): a
/// calibration curve (8 levels), QCs at three levels bracketing every 40 patients, patients with and without a
/// dose, blanks, <c>N/A</c> and <c>No Peak</c>, each injection acquired 6 minutes after the last. The same seed
/// gives the same bytes; different seeds give different files (and so different runs: the hash is the run key).
/// </summary>
internal static class ExportGenerator
{
    private static readonly decimal[] CalibratorLevels = [1.00m, 2.50m, 5.00m, 10.0m, 25.0m, 50.0m, 100m, 200m];
    private static readonly (string Name, decimal Nominal)[] QcLevels = [("LQC", 3.00m), ("MQC", 40.0m), ("HQC", 160m)];

    private static string GoldenAnalystPlate => System.IO.Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "sciex-analyst", "mirtazapine-plate", "input.txt");

    private static string GoldenMassHunterBatch => System.IO.Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "agilent-masshunter-quant", "mirtazapine-batch", "input.csv");

    /// <summary>A 96-well plate: double blank, blank, 8 calibrators, 6 QCs, 85 patients, a blank after the ULOQ.</summary>
    public static GeneratedExport Plate(ExportFormat format, string path, int seed) => Write(format, path, injections: 96, seed, plate: true);

    /// <summary>A batch of about <paramref name="dataLines"/> lines.</summary>
    public static GeneratedExport Batch(ExportFormat format, string path, int dataLines, int seed)
    {
        var injections = format == ExportFormat.SciexAnalyst ? Math.Max(1, dataLines / 3) : dataLines;
        return Write(format, path, injections, seed, plate: false);
    }

    private static GeneratedExport Write(ExportFormat format, string path, int injections, int seed, bool plate)
    {
        var plan = Plan(injections, seed, plate);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
        {
            if (format == ExportFormat.SciexAnalyst)
            {
                WriteAnalyst(writer, plan, seed);
            }
            else
            {
                WriteMassHunter(writer, plan, seed);
            }
        }

        var lines = format == ExportFormat.SciexAnalyst ? plan.Count * 3 : plan.Count;
        return new GeneratedExport(path, format, lines, plan.Count, new FileInfo(path).Length);
    }

    private enum Kind
    {
        DoubleBlank,
        Blank,
        Calibrator,
        Qc,
        Patient,
    }

    private sealed record Injection(int Number, Kind Kind, string Name, decimal Nominal, string Level, decimal? Mirtazapine, decimal? Metabolite, bool NoPeak, bool NotAvailable, int? Dose, decimal Dilution, DateTime Acquired);

    private static List<Injection> Plan(int injections, int seed, bool plate)
    {
        var random = new Random(seed);
        var start = new DateTime(2026, 11, 21, 8, 0, 0, DateTimeKind.Unspecified).AddDays(seed % 1000);
        var list = new List<Injection>(injections);
        var patient = 0;
        var sincePatientQc = 0;
        var qcRound = 0;
        void Add(Kind kind, string name, decimal nominal = 0m, string level = "", decimal? mirt = null, decimal? metabolite = null, bool noPeak = false, bool na = false, int? dose = null, decimal dilution = 1m) =>
            list.Add(new Injection(list.Count + 1, kind, name, nominal, level, mirt, metabolite, noPeak, na, dose, dilution, start.AddMinutes(6.0 * list.Count).AddSeconds(random.Next(0, 59))));

        Add(Kind.DoubleBlank, "Double Blank");
        Add(Kind.Blank, "Blank");
        for (var i = 0; i < CalibratorLevels.Length; i++)
        {
            var nominal = CalibratorLevels[i];
            Add(Kind.Calibrator, string.Create(CultureInfo.InvariantCulture, $"CAL {i + 1}"), nominal, (i + 1).ToString(CultureInfo.InvariantCulture), Near(random, nominal), Near(random, nominal));
        }

        void Qcs()
        {
            qcRound++;
            foreach (var (name, nominal) in QcLevels)
            {
                Add(Kind.Qc, string.Create(CultureInfo.InvariantCulture, $"{name} {qcRound}"), nominal, name[..1] switch { "L" => "Low", "M" => "Mid", _ => "High" }, Near(random, nominal), Near(random, nominal));
            }
        }

        Qcs();
        var reserveAtEnd = plate ? 4 : 3;
        while (list.Count < injections - reserveAtEnd)
        {
            if (sincePatientQc == 40)
            {
                Qcs();
                sincePatientQc = 0;
                continue;
            }

            patient++;
            sincePatientQc++;
            var id = (seed * 100_000L) + patient;
            var roll = random.NextDouble();
            var mirt = Round3((decimal)(3 + (random.NextDouble() * 150)));
            var ratio = (decimal)(0.35 + (random.NextDouble() * 0.6));
            var diluted = roll > 0.985;
            Add(
                Kind.Patient,
                string.Create(CultureInfo.InvariantCulture, $"P-{id} {(diluted ? "diluted" : "trough")}"),
                mirt: diluted ? Round3(mirt * 2) : mirt,
                metabolite: Round3(mirt * ratio),
                noPeak: roll < 0.02,
                na: roll is >= 0.02 and < 0.03,
                dose: random.NextDouble() < 0.5 ? new[] { 15, 30, 45 }[random.Next(3)] : null,
                dilution: diluted ? 2m : 1m);
        }

        if (plate)
        {
            Qcs();
            Add(Kind.Blank, "Blank after ULOQ", noPeak: true);
        }
        else
        {
            while (list.Count < injections)
            {
                Qcs();
            }
        }

        return list.Take(injections).ToList();
    }

    private static decimal Near(Random random, decimal nominal) => Round3(nominal * (decimal)(0.93 + (random.NextDouble() * 0.13)));

    /// <summary>Three significant digits, as Analyst writes them.</summary>
    private static decimal Round3(decimal value)
    {
        if (value == 0m)
        {
            return 0m;
        }

        var digits = 2 - (int)Math.Floor(Math.Log10((double)Math.Abs(value)));
        return digits >= 0 ? Math.Round(value, Math.Min(digits, 10)) : Math.Round(value / (decimal)Math.Pow(10, -digits)) * (decimal)Math.Pow(10, -digits);
    }

    /// <summary>Analyst's number style: three significant digits, a trailing dot on whole hundreds (<c>104.</c>).</summary>
    private static string Analyst(decimal value)
    {
        var text = value.ToString("G", CultureInfo.InvariantCulture);
        var digits = text.Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0', '-').Length;
        if (!text.Contains('.', StringComparison.Ordinal) && Math.Abs(value) >= 100)
        {
            return text + ".";
        }

        if (value != 0m && digits < 3 && Math.Abs(value) < 100)
        {
            var decimals = 2 - (int)Math.Floor(Math.Log10((double)Math.Abs(value)));
            return value.ToString("F" + Math.Max(0, decimals).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return text;
    }

    private static void WriteAnalyst(StreamWriter writer, List<Injection> plan, int seed)
    {
        var golden = File.ReadAllLines(GoldenAnalystPlate);
        var headerIndex = Array.FindIndex(golden, l => l.StartsWith("Sample Name\t", StringComparison.Ordinal));
        var headerLines = golden.Take(headerIndex + 1).ToList();
        foreach (var line in headerLines)
        {
            writer.Write(line);
            writer.Write("\r\n");
        }

        var header = golden[headerIndex].Split('\t');
        var template = golden[headerIndex + 1].Split('\t');
        int Col(string name) => Array.IndexOf(header, name);
        var sampleName = Col("Sample Name");
        var sampleId = Col("Sample ID");
        var fileType = Col("Filetype");
        var description = Col("Sample Desc.");
        var date = Col("Date Of Acq.");
        var vial = Col("Vial Position");
        var fileName = Col("Filename");
        var dilution = Col("Dil.Factor");
        var peak = Col("Peak Name");
        var area = Col("Area");
        var height = Col("Height");
        var conc = Col("Conc.");
        var rt = Col("R.T.");
        var isPeak = Col("IS Peak Name");
        var isArea = Col("IS Area");
        var isConc = Col("IS Conc.");
        var isRt = Col("IS R.T.");
        var use = Col("Use Record");
        var calc = Col("Calc.Conc.");
        var accuracy = Col("Accuracy");
        // The internal standard gets its own rows, as Analyst writes them when IS peaks are included.
        var random = new Random(seed ^ 0x5eed);
        var fields = (string[])template.Clone();
        var builder = new StringBuilder(1024);
        foreach (var injection in plan)
        {
            var isArea1 = 140_000 + random.Next(20_000);
            foreach (var compound in new[] { "Mirtazapine", "N-desmethylmirtazapine", "Mirtazapine-d3" })
            {
                Array.Copy(template, fields, template.Length);
                var internalStandard = compound == "Mirtazapine-d3";
                var value = compound == "Mirtazapine" ? injection.Mirtazapine : injection.Metabolite;
                fields[sampleName] = injection.Name;
                fields[sampleId] = injection.Number.ToString(CultureInfo.InvariantCulture);
                fields[fileType] = injection.Kind switch { Kind.Calibrator => "Standard", Kind.Qc => "Quality Control", _ => "Unknown" };
                fields[description] = injection.Dose is int d ? string.Create(CultureInfo.InvariantCulture, $"dose={d}mg/d") : "none";
                fields[date] = injection.Acquired.ToString("d-MMM-yyyy H:mm:ss", CultureInfo.InvariantCulture);
                fields[vial] = ((injection.Number - 1) % 96 + 1).ToString(CultureInfo.InvariantCulture);
                fields[fileName] = string.Create(CultureInfo.InvariantCulture, $"MIRT-{injection.Acquired:yyyy-MM-dd}\\MIRT-{injection.Number:000}.wiff");
                fields[dilution] = injection.Dilution.ToString("0.0", CultureInfo.InvariantCulture);
                fields[peak] = compound;
                fields[conc] = internalStandard ? "1.00" : injection.Kind is Kind.Calibrator or Kind.Qc ? Analyst(injection.Nominal) : "N/A";
                fields[rt] = internalStandard ? "2.30" : compound == "Mirtazapine" ? "2.31" : "2.12";
                fields[isPeak] = "Mirtazapine-d3";
                fields[isArea] = isArea1.ToString(CultureInfo.InvariantCulture) + ".0";
                fields[isConc] = "1.00";
                fields[isRt] = "2.30";
                fields[use] = injection.Kind == Kind.Calibrator && !internalStandard ? "1" : string.Empty;
                string calculated;
                if (internalStandard)
                {
                    calculated = "N/A";
                }
                else if (injection.Kind == Kind.DoubleBlank)
                {
                    calculated = "#DIV/0!";
                }
                else if (injection.Kind == Kind.Blank || injection.NoPeak)
                {
                    calculated = "No Peak";
                }
                else if (injection.NotAvailable)
                {
                    calculated = "N/A";
                }
                else
                {
                    calculated = Analyst(value!.Value);
                }

                fields[calc] = calculated;
                var areaValue = internalStandard ? isArea1 : value is decimal v && calculated != "No Peak" ? (double)v * 2_950 * (0.97 + (random.NextDouble() * 0.06)) : 0;
                fields[area] = areaValue.ToString("0.0", CultureInfo.InvariantCulture);
                fields[height] = (areaValue * 0.61).ToString("0.00e+000", CultureInfo.InvariantCulture);
                fields[accuracy] = injection.Kind is Kind.Calibrator or Kind.Qc && !internalStandard && value is decimal a
                    ? (a / injection.Nominal * 100m).ToString("0.0", CultureInfo.InvariantCulture)
                    : "N/A";
                builder.Clear();
                builder.AppendJoin('\t', fields);
                builder.Append("\r\n");
                writer.Write(builder);
            }
        }
    }

    private static void WriteMassHunter(StreamWriter writer, List<Injection> plan, int seed)
    {
        var golden = File.ReadAllLines(GoldenMassHunterBatch);
        writer.Write(golden[0]);
        writer.Write("\r\n");
        writer.Write(golden[1]);
        writer.Write("\r\n");
        var random = new Random(seed ^ 0x7a11);
        var builder = new StringBuilder(512);
        foreach (var injection in plan)
        {
            var type = injection.Kind switch
            {
                Kind.DoubleBlank => "DoubleBlank",
                Kind.Blank => "Blank",
                Kind.Calibrator => "Cal",
                Kind.Qc => "QC",
                _ => "Sample",
            };
            var detected = injection.Kind is not (Kind.DoubleBlank or Kind.Blank) && !injection.NoPeak;
            string Conc(decimal? value) => injection.NotAvailable ? string.Empty : detected && value is decimal v ? Analyst(v) : "ND";
            string Area(decimal? value) => detected && value is decimal v ? ((double)v * 3050 * (0.97 + (random.NextDouble() * 0.06))).ToString("0", CultureInfo.InvariantCulture) : string.Empty;
            string Accuracy(decimal? value) => injection.Kind is Kind.Calibrator or Kind.Qc && value is decimal v ? (v / injection.Nominal * 100m).ToString("0.0", CultureInfo.InvariantCulture) : string.Empty;
            var nominal = injection.Kind is Kind.Calibrator or Kind.Qc ? Analyst(injection.Nominal) : string.Empty;
            var mirtArea = Area(injection.Mirtazapine);
            var metaboliteArea = Area(injection.Metabolite);
            var mirtFinal = Conc(injection.Mirtazapine);
            var mirtCalc = injection.Dilution != 1m && injection.Mirtazapine is decimal m ? Analyst(m / injection.Dilution) : mirtFinal;
            builder.Clear();
            builder.AppendJoin(',', [
                string.Empty, string.Empty,
                injection.Name,
                injection.Name.Replace(' ', '-') + ".d",
                type,
                injection.Level,
                injection.Acquired.ToString("M/d/yyyy h:mm tt", CultureInfo.InvariantCulture),
                injection.Dilution.ToString("0.##", CultureInfo.InvariantCulture),
                injection.Dose is int d ? string.Create(CultureInfo.InvariantCulture, $"dose={d}mg/d") : string.Empty,
                nominal, "2.31", detected ? "2.314" : string.Empty, mirtArea, mirtArea,
                detected ? (random.Next(2_000, 300_000)).ToString(CultureInfo.InvariantCulture) : string.Empty,
                detected ? "120.5" : string.Empty,
                mirtCalc, mirtFinal, Accuracy(injection.Mirtazapine), "FALSE",
                "266.2", "72.1", detected ? "2.313" : string.Empty, detected ? random.Next(1_000, 100_000).ToString(CultureInfo.InvariantCulture) : string.Empty, detected ? "42.1" : string.Empty,
                injection.Kind is Kind.Calibrator or Kind.Qc ? Analyst(injection.Nominal) : string.Empty,
                detected ? "2.108" : string.Empty, metaboliteArea, Conc(injection.Metabolite), Conc(injection.Metabolite), Accuracy(injection.Metabolite), "FALSE",
                string.Empty, "2.301", (145_000 + random.Next(15_000)).ToString(CultureInfo.InvariantCulture), string.Empty,
            ]);
            builder.Append("\r\n");
            writer.Write(builder);
        }
    }
}
