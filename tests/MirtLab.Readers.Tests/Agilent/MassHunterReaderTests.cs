using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;
using MirtLab.Readers.Agilent;
using MirtLab.Readers.Delimited;
using MirtLab.Readers.Tests.Delimited;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Agilent;

public sealed class MassHunterReaderTests
{
    private static readonly string[] MyGroups = [MassHunterQuantReader.Id, MassHunterCompoundTableReader.Id, MassHunterBlockReportReader.Id];

    private static string GoldenRoot => Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden");

    private static ReaderContext Context(string? unit = "ng/mL", string culture = "en-US", int maxErrors = 50) =>
        new() { InstrumentId = "ms-1", Culture = CultureInfo.GetCultureInfo(culture), DefaultUnit = unit, MaxErrors = maxErrors };

    private static ReadOutput Read(MassHunterQuantReader reader, string text, ReaderContext? context = null)
    {
        var output = new ReadOutput { FormatId = reader.FormatId };
        reader.Read(ReadSource.FromBytes("export.csv", Encoding.UTF8.GetBytes(text)), context ?? Context(), output);
        return output;
    }

    [Fact]
    public void MassHunterQuant_NoUnitConfigured_ReadsNumbersWithoutUnitAndTheEvaluatorReportsMissingUnit()
    {
        var input = Path.Combine(GoldenRoot, MassHunterQuantReader.Id, "no-default-unit", "input.csv");
        var output = new ReadOutput();
        new MassHunterQuantReader().Read(ReadSource.FromFile(input), Context(unit: null), output);

        Assert.False(output.HasErrors);
        var cal = output.Results.First(r => r.RawAnalyte == "Mirtazapine");
        Assert.Null(cal.RawUnit);
        Assert.Equal(2.07m, cal.Value.Number);

        var rules = RuleSetLoader.Load(File.ReadAllBytes(Path.Combine(RepoPaths.Config, "rules.json")));
        Assert.True(rules.Succeeded, string.Join("\n", rules.Errors));
        var run = RunEvaluator.Evaluate(
            new RunInput(new RunIdentity(new string('0', 64), "no-default-unit.csv", MassHunterQuantReader.Id, "ms-1"), output.RunInfo, output.Results, TimeZoneInfo.Utc, output.Diagnostics),
            rules.RuleSet!);

        var missing = run.Diagnostics.Where(d => d.Code == DiagnosticCodes.MissingUnit).ToList();
        Assert.NotEmpty(missing);
        Assert.All(missing, d => Assert.True(d.IsError));
        Assert.Contains(missing, d => d.Line == 3);
        Assert.True(run.IsRejected);
    }

    [Fact]
    public void MassHunterProbes_EveryGoldenInput_IsClaimedByExactlyItsOwnReader()
    {
        var readers = ReaderRegistry.Create([DelimitedGoldenTests.LoadCaseMapping(Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Delimited", "Golden", "openlab-cds2-custom"))]);
        foreach (var group in Directory.EnumerateDirectories(GoldenRoot))
        {
            var format = Path.GetFileName(group);
            foreach (var folder in Directory.EnumerateDirectories(group))
            {
                var probe = SourceProbe.Create(ReadSource.FromPath(Golden.Input(folder)));
                var scores = readers.Select(r => (r.FormatId, Score: r.Probe(probe))).Where(s => s.Score > 0).OrderByDescending(s => s.Score).ToList();
                if (MyGroups.Contains(format))
                {
                    Assert.True(scores.Count > 0 && scores[0].FormatId == format, $"{folder}: {string.Join(", ", scores)}");
                    Assert.True(scores.Count == 1 || scores[1].Score < scores[0].Score, $"{folder}: tie {string.Join(", ", scores)}");
                }
                else
                {
                    Assert.DoesNotContain(scores, s => MyGroups.Contains(s.FormatId) || s.FormatId.StartsWith(DelimitedMapping.FormatIdPrefix, StringComparison.Ordinal));
                }
            }
        }
    }

    [Fact]
    public void MassHunterQuant_MessageRowFollowedByARowThatFitsNoAlignment_IsRefused()
    {
        const string text = """
            Sample,,,,,,,Mirtazapine Results,
            ,Quantitation Message,Name,Data File,Type,Level,Acq. Date-Time,Area,Final Conc.
            !,Mirtazapine: Integrator did not find any peaks.,,,,,,,
            ,,P-1,P-1.d,Unknown Thing,,11/21/2026 8:00 AM,100,1.5
            ,,P-2,P-2.d,Sample,,11/21/2026 8:10 AM,200,3.1
            """;

        var output = Read(new MassHunterQuantReader(), text);

        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.OrphanQuantitationMessage, error.Code);
        Assert.Equal(4, error.Line);
        Assert.Equal("P-2", Assert.Single(output.Results).SampleName);
    }

    [Fact]
    public void MassHunterQuant_MessageRowFollowedByAnAlignedRow_AttachesTheMessageWithoutShifting()
    {
        const string text = """
            Sample,,,,,,,Mirtazapine Results,
            ,Quantitation Message,Name,Data File,Type,Level,Acq. Date-Time,Area,Final Conc.
            !,Mirtazapine: Integrator did not find any peaks.,,,,,,,
            ,,P-1,P-1.d,Sample,,11/21/2026 8:00 AM,100,1.5
            """;

        var output = Read(new MassHunterQuantReader(), text);

        Assert.False(output.HasErrors);
        var row = Assert.Single(output.Results);
        Assert.Equal(("P-1", 1.5m, 100d), (row.SampleName, row.Value.Number!.Value, row.Area!.Value));
        Assert.Contains("MassHunter quantitation message: Mirtazapine: Integrator did not find any peaks.", row.VendorFlags);
    }

    [Fact]
    public void MassHunterQuant_FinalConcEmptyButCalcConcGiven_KeepsNoValueRatherThanTheUndilutedNumber()
    {
        const string text = """
            Sample,,,,Mirtazapine Results,,
            Name,Data File,Type,Dil.,Calc. Conc.,Final Conc.,Exp. Conc.
            P-1,P-1.d,Sample,2,30.7,,
            """;

        var row = Assert.Single(Read(new MassHunterQuantReader(), text).Results);

        Assert.Equal(ValueKind.NoValue, row.Value.Kind);
        Assert.Equal(2m, row.DilutionFactor);
    }

    [Fact]
    public void MassHunterQuant_ManyBadRows_StopsAtMaxErrors()
    {
        var text = new StringBuilder("Sample,,Mirtazapine Results\r\nName,Type,Final Conc.\r\n");
        for (var i = 0; i < 200; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"P-{i},Sample,x{i}\r\n");
        }

        var output = Read(new MassHunterQuantReader(), text.ToString(), Context(maxErrors: 10));

        Assert.Equal(11, output.ErrorCount);
        Assert.Equal(DiagnosticCodes.TruncatedInput, output.Diagnostics[^1].Code);
        Assert.Empty(output.Results);
    }

    [Fact]
    public void MassHunterQuant_UnterminatedQuotedMessage_IsALocatedError()
    {
        const string text = "Sample,,,Mirtazapine Results\r\nQuantitation Message,Name,Type,Final Conc.\r\n\"cut message,P-1,Sample,1.2\r\nP-2,Sample,2.3\r\n";

        var output = Read(new MassHunterQuantReader(), text);

        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.UnterminatedQuote, error.Code);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void MassHunterReaders_MangledInputs_NeverThrow()
    {
        var inputs = Directory.EnumerateDirectories(GoldenRoot)
            .Where(g => MyGroups.Contains(Path.GetFileName(g)))
            .SelectMany(Directory.EnumerateDirectories)
            .Select(f => File.ReadAllBytes(Golden.Input(f)))
            .ToList();
        IInstrumentReader[] readers = [new MassHunterQuantReader(), new MassHunterCompoundTableReader(), new MassHunterBlockReportReader()];
        var random = new Random(20261121);
        for (var round = 0; round < 300; round++)
        {
            var bytes = inputs[random.Next(inputs.Count)].ToList();
            for (var edits = random.Next(1, 8); edits > 0 && bytes.Count > 1; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes.RemoveAt(at); break;
                    case 1: bytes.Insert(at, (byte)",\"\r\n;0.!ND"[random.Next(10)]); break;
                    case 2: bytes[at] = (byte)random.Next(256); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }

            foreach (var reader in readers)
            {
                var output = new ReadOutput();
                var ex = Record.Exception(() => reader.Read(ReadSource.FromBytes("x.csv", [.. bytes]), Context(), output));
                Assert.Null(ex);
                Assert.All(output.Results, r => Assert.True(r.Value.Kind != ValueKind.Number || r.RawValueText.Length > 0));
            }
        }
    }
}
