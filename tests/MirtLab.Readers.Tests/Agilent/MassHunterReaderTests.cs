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

    private static ReadOutput Read(IInstrumentReader reader, string text, ReaderContext? context = null)
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
    public void MassHunterQuant_GoldenBatchWithoutFinalConc_RefusesTheDilutedSampleInsteadOfPublishingCalcConc()
    {
        // The golden batch with every 'Final Conc.' column removed: P-2611-003 (Dil. 2) has Calc. Conc. 30.7
        // where the truth is 61.4.
        var lines = File.ReadAllLines(Path.Combine(GoldenRoot, MassHunterQuantReader.Id, "mirtazapine-batch", "input.csv"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .ToList();
        var finalConc = Enumerable.Range(0, lines[1].Length).Where(i => lines[1][i] == "Final Conc.").ToHashSet();
        var text = string.Join("\r\n", lines.Select(fields => string.Join(",", fields.Where((_, i) => !finalConc.Contains(i))))) + "\r\n";
        var header = text.Split("\r\n")[1].Split(',');
        var calcConc = Enumerable.Range(0, header.Length).Where(i => header[i] == "Calc. Conc.").Select(i => i + 1).ToList();

        var output = Read(new MassHunterQuantReader(), text);

        var errors = output.Diagnostics.Where(d => d.IsError).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal((DiagnosticCodes.UndilutedConcentration, 16), (e.Code, e.Line)));
        Assert.Equal(calcConc, errors.Select(e => e.Column!.Value));
        Assert.Contains("'P-2611-003'", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Dil. 2", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'Calc. Conc.' 30.7 for 'Mirtazapine'", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("no 'Final Conc.' column", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("export the results from MassHunter with 'Final Conc.'", errors[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Results, r => r.SampleName == "P-2611-003");
        Assert.Equal(46.3m, output.Results.Single(r => r.SampleName == "P-2611-001" && r.RawAnalyte == "Mirtazapine").Value.Number);
    }

    [Fact]
    public void MassHunterQuant_GoldenBatchWithFinalConc_PublishesTheDilutedSamplesFinalConc()
    {
        var output = new ReadOutput();
        new MassHunterQuantReader().Read(ReadSource.FromFile(Path.Combine(GoldenRoot, MassHunterQuantReader.Id, "mirtazapine-batch", "input.csv")), Context(), output);

        Assert.False(output.HasErrors);
        var row = output.Results.Single(r => r.SampleName == "P-2611-003" && r.RawAnalyte == "Mirtazapine");
        Assert.Equal((61.4m, 2m), (row.Value.Number!.Value, row.DilutionFactor!.Value));
    }

    [Theory]
    [InlineData("2", "30.7")]
    [InlineData("0.5", "30.7")]
    [InlineData("2", "1.000e2")]
    public void MassHunterQuant_CalcConcWithoutFinalConcOfADilutedSample_IsALocatedError(string dilution, string calcConc)
    {
        var text = $"""
            Sample,,,,Mirtazapine Results,,
            Name,Data File,Type,Dil.,RT,Calc. Conc.,Exp. Conc.
            P-1,P-1.d,Sample,1,2.31,12.5,
            P-2,P-2.d,Sample,{dilution},2.31,{calcConc},
            """;

        var output = Read(new MassHunterQuantReader(), text);

        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UndilutedConcentration, 4, 6), (error.Code, error.Line, error.Column));
        Assert.Contains($"sample 'P-2' was diluted (Dil. {dilution})", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(column 'Calc. Conc.')", error.Message, StringComparison.Ordinal);
        Assert.Equal("P-1", Assert.Single(output.Results).SampleName);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("")]
    public void MassHunterQuant_CalcConcWithoutFinalConcOfAnUndilutedSample_IsTheValue(string dilution)
    {
        var text = $"""
            Sample,,,,Mirtazapine Results,,
            Name,Data File,Type,Dil.,RT,Calc. Conc.,Exp. Conc.
            P-1,P-1.d,Sample,{dilution},2.31,30.7,
            """;

        var output = Read(new MassHunterQuantReader(), text);

        Assert.False(output.HasErrors);
        Assert.Equal(30.7m, Assert.Single(output.Results).Value.Number);
    }

    [Fact]
    public void MassHunterQuant_CalcConcWithoutFinalConcAndNoDilutionColumn_IsTheValue()
    {
        const string text = """
            Sample,,,Mirtazapine Results
            Name,Data File,Type,Calc. Conc.
            P-1,P-1.d,Sample,30.7
            """;

        var output = Read(new MassHunterQuantReader(), text);

        Assert.False(output.HasErrors);
        Assert.Equal(30.7m, Assert.Single(output.Results).Value.Number);
    }

    [Fact]
    public void MassHunterQuant_DilutedSampleWithoutFinalConc_NotDetectedAndInternalStandardNeedNoDilution()
    {
        const string text = """
            Sample,,,,Mirtazapine Results,Mirtazapine-d3 (ISTD) Results,
            Name,Data File,Type,Dil.,Calc. Conc.,Area,Calc. Conc.
            P-1,P-1.d,Sample,2,ND,150000,10.2
            """;

        var output = Read(new MassHunterQuantReader(), text);

        Assert.False(output.HasErrors);
        Assert.Equal(ValueKind.NotDetected, output.Results.Single(r => r.RawAnalyte == "Mirtazapine").Value.Kind);
    }

    [Theory]
    [InlineData("2", true)]
    [InlineData("1", false)]
    public void MassHunterCompoundTable_CalcConcWithoutFinalConc_IsRefusedForADilutedSampleOnly(string dilution, bool refused)
    {
        var text = $"""
            Compound Method,,P-1,,,,,P-2,,,,
            Name,Transition,Name,Data File,Type,Dil.,Calc. Conc.,Name,Data File,Type,Dil.,Calc. Conc.
            Mirtazapine,266.2 -> 195.1,P-1,P-1.d,Sample,1,12.5,P-2,P-2.d,Sample,{dilution},30.7
            """;

        var output = Read(new MassHunterCompoundTableReader(), text);

        if (refused)
        {
            var error = Assert.Single(output.Diagnostics, d => d.IsError);
            Assert.Equal((DiagnosticCodes.UndilutedConcentration, 3, 12), (error.Code, error.Line, error.Column));
            Assert.Contains("sample 'P-2' was diluted (Dil. 2)", error.Message, StringComparison.Ordinal);
            Assert.Empty(output.Results);
        }
        else
        {
            Assert.False(output.HasErrors);
            Assert.Equal([12.5m, 30.7m], output.Results.Select(r => r.Value.Number!.Value));
        }
    }

    [Theory]
    [InlineData("Calc Conc", "2", "sample 'P-2' was diluted (Dil. 2)")]
    [InlineData("Calc Conc", "x2", "sample 'P-2' has dilution factor 'x2', which is not a number")]
    [InlineData("Calc Conc", "1", null)]
    [InlineData("Calc Conc", "", null)]
    [InlineData("Final Conc", "2", null)]
    public void MassHunterBlockReport_CalcConcWithoutFinalConc_IsRefusedForADilutedSampleOnly(string valueHeader, string dilution, string? refusal)
    {
        var text = $"""
            Batch Info,2026-11-21T11:02:09,,,,
            Sequence Table,,,,,
            Data File,Sample Name,Sample Type,Dil.,,
            P-1.d,P-1,Sample,1,,
            P-2.d,P-2,Sample,{dilution},,
            ,,,,,
            Quantitation Results,,,,,
             Target Compound,Mirtazapine,,,,
             Data File,Compound,ISTD,Resp, {valueHeader},Exp Conc
            P-1.d,Mirtazapine,Mirtazapine-d3,1000,12.5,
            P-2.d,Mirtazapine,Mirtazapine-d3,2000,30.7,
            """;

        var output = Read(new MassHunterBlockReportReader(), text);

        if (refusal is not null)
        {
            var error = Assert.Single(output.Diagnostics, d => d.IsError);
            Assert.Equal((DiagnosticCodes.UndilutedConcentration, 11, 5), (error.Code, error.Line, error.Column));
            Assert.Contains(refusal, error.Message, StringComparison.Ordinal);
            Assert.Equal("P-1", Assert.Single(output.Results).SampleName);
        }
        else
        {
            Assert.False(output.HasErrors);
            Assert.Equal([12.5m, 30.7m], output.Results.Select(r => r.Value.Number!.Value));
        }
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
