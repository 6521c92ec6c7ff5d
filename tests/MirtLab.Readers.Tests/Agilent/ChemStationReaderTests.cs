using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Readers.Agilent;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Agilent;

/// <summary>The ChemStation .D folder and ACAML readers on small, targeted inputs (the golden cases hold the full ones).</summary>
public sealed class ChemStationReaderTests
{
    private const string Ecd = "ADC1 A, ADC CHANNEL A";

    private static readonly string[] IstdColumns =
    [
        "\"Column 1\",\"Peak Number\",\"\"", "\"Column 2\",\"Retention Time\",\"min\"", "\"Column 3\",\"Peak Type\",\"\"",
        "\"Column 4\",\"ISTD Number\",\"\"", "\"Column 5\",\"  Area  \",\"         \"", "\"Column 6\",\"Height\",\"         \"",
        "\"Column 7\",\"Amount\",\"ng/ml\"", "\"Column 8\",\"Compound Name\",\"\"",
    ];

    [Fact]
    public void ChemStationReader_BomOnlySignalFile_ReadsAsNoPeaks()
    {
        var output = ReadFolder(
            ("Report00.CSV", Utf16(Report00(signals: [Ecd, "DAD1 A, Sig=280,4 Ref=off"]))),
            ("REPORT01.CSV", Utf16("1,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")),
            ("REPORT02.CSV", [0xFF, 0xFE]));

        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics));
        var row = Assert.Single(output.Results);
        Assert.Equal("Dopamine", row.RawAnalyte);
        Assert.Equal(7.81266m, row.Value.Number);
        Assert.Equal("ng/ml", row.RawUnit);
    }

    [Fact]
    public void ChemStationReader_NotFoundCompoundRowOfZeros_IsNotDetectedAndNeverZero()
    {
        var output = ReadFolder(
            ("Report00.CSV", Utf16(Report00())),
            ("REPORT01.CSV", Utf16("1,3.91,\"  \",1,0,0,0,\"Norepinephrine\"\n2,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")));

        var notFound = output.Results[0];
        Assert.Equal(ValueKind.NotDetected, notFound.Value.Kind);
        Assert.Null(notFound.Value.Number);
        Assert.Null(notFound.Area);
        Assert.Null(notFound.Height);
        Assert.Null(notFound.RetentionTime);
        Assert.Equal("0", notFound.RawValueText);
    }

    [Fact]
    public void ChemStationReader_ZeroAmountForDetectedPeak_IsNotReportableWithWarningAndFlag()
    {
        var output = ReadFolder(
            ("Report00.CSV", Utf16(Report00())),
            ("REPORT01.CSV", Utf16("1,3.91,\"BB    \",1,3.8,0.41,0,\"Norepinephrine\"\n")));

        var row = Assert.Single(output.Results);
        Assert.Equal(ValueKind.NotReportable, row.Value.Kind);
        Assert.Equal(3.8, row.Area);
        Assert.Contains(row.VendorFlags, f => f.Contains("negative results are set to zero", StringComparison.Ordinal));
        var warning = Assert.Single(output.Diagnostics, d => d.Code == DiagnosticCodes.ZeroAmountForDetectedPeak);
        Assert.Equal(("REPORT01.CSV", 1, 7), (warning.File, warning.Line, warning.Column));
    }

    [Fact]
    public void ChemStationReader_UnidentifiedPeaks_AreSkippedWithOneInfoDiagnostic()
    {
        var output = ReadFolder(
            ("Report00.CSV", Utf16(Report00())),
            ("REPORT01.CSV", Utf16("1,2.42,\"BV    \",1,88.1,12.0,3.53,\"?\"\n2,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n3,11.0,\"BB    \",1,5.0,1.0,0.2,\"\"\n")));

        Assert.Equal("Dopamine", Assert.Single(output.Results).RawAnalyte);
        var info = Assert.Single(output.Diagnostics, d => d.Code == DiagnosticCodes.UnidentifiedPeaksSkipped);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.StartsWith("2 of 3 peak(s)", info.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChemStationReader_InternalStandardRow_IsMarkedAndLinkedToTheAnalytesUsingIt()
    {
        var output = ReadFolder(
            ("Report00.CSV", Utf16(Report00())),
            ("REPORT01.CSV", Utf16("1,6.53,\"BV   I\",1,1247.58,141.1,50,\"DHBA\"\n2,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")));

        var istd = output.Results[0];
        var dopamine = output.Results[1];
        Assert.True(istd.IsInternalStandard);
        Assert.Null(istd.InternalStandard);
        Assert.False(dopamine.IsInternalStandard);
        Assert.Equal("DHBA", dopamine.InternalStandard);
        Assert.Equal(1247.58, dopamine.InternalStandardArea);
        Assert.Equal(6.53, dopamine.InternalStandardRetentionTime);
    }

    [Fact]
    public void ChemStationReader_SignalWithoutItsReportFile_IsAMissingCompanion()
    {
        var output = ReadFolder(
            ("Report00.CSV", Utf16(Report00(signals: [Ecd, "DAD1 A, Sig=280,4 Ref=off"]))),
            ("REPORT01.CSV", Utf16("1,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")));

        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.MissingCompanionFile, error.Code);
        Assert.Contains("REPORT02.CSV", error.Message, StringComparison.Ordinal);
        Assert.Empty(output.Results);
    }

    [Fact]
    public void ChemStationReader_DefaultNgPerMicrolitreLabel_HoldsEveryRowWithAWarning()
    {
        var report00 = Report00().Replace("\"Amount\",\"ng/ml\"", "\"Amount\",\"ng/ul\"", StringComparison.Ordinal);
        var output = ReadFolder(
            ("Report00.CSV", Utf16(report00)),
            ("REPORT01.CSV", Utf16("1,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")));

        Assert.Single(output.Diagnostics, d => d.Code == DiagnosticCodes.SuspectAmountUnit && d.Severity == DiagnosticSeverity.Warning);
        var row = Assert.Single(output.Results);
        Assert.Equal("ng/ul", row.RawUnit);
        Assert.Contains(row.VendorFlags, f => f.Contains("default label", StringComparison.Ordinal));
    }

    [Fact]
    public void ChemStationReader_OperatorHoldingTheDate_IsUsedAsInjectionDateWhenNoneIsStated()
    {
        var report00 = Report00()
            .Replace("\"Injection Date\",\"19-Nov-26, 09:58:06\",\"\"\n", string.Empty, StringComparison.Ordinal)
            .Replace("\"Acq. Operator\",\"mkeller\"", "\"Acq. Operator\",\"19-Nov-26, 09:58:06\"", StringComparison.Ordinal);
        var output = ReadFolder(
            ("Report00.CSV", Utf16(report00)),
            ("REPORT01.CSV", Utf16("1,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")));

        Assert.Equal(new DateTime(2026, 11, 19, 9, 58, 6), Assert.Single(output.Results).AcquiredLocal);
        Assert.Null(output.RunInfo.Operator);
        Assert.Contains(output.Diagnostics, d => d.Code == DiagnosticCodes.AcquisitionTimeNote && d.Message.Contains("used as the injection date", StringComparison.Ordinal));
    }

    [Fact]
    public void ChemStationReader_TwoDotDFoldersInOneDrop_IsRejectedAsSeveralInjections()
    {
        var output = ReadFolder(
            ("003-0301.D/Report00.CSV", Utf16(Report00())),
            ("003-0301.D/REPORT01.CSV", Utf16("1,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")),
            ("004-0401.D/Report00.CSV", Utf16(Report00())),
            ("004-0401.D/REPORT01.CSV", Utf16("1,9.12,\"VB    \",1,398.7,39.2,7.81266,\"Dopamine\"\n")));

        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.SeveralInjections, error.Code);
        Assert.Contains("003-0301.D, 004-0401.D", error.Message, StringComparison.Ordinal);
        Assert.Empty(output.Results);
    }

    [Fact]
    public void ChemStationReader_ReportTxtAndResultXmlOfDifferentSamples_IsASampleIdentityConflict()
    {
        var folder = GoldenCase("sources-disagree-held");
        var text = Encoding.Unicode.GetString(File.ReadAllBytes(Path.Combine(folder, "Report.TXT"))[2..])
            .Replace("Sample Name: P-26-0417", "Sample Name: P-26-0418", StringComparison.Ordinal);

        var output = ReadFolder(
            ("Result.xml", File.ReadAllBytes(Path.Combine(folder, "Result.xml"))),
            ("Report.TXT", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)]));

        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.SampleIdentityConflict, error.Code);
        Assert.Equal("Report.TXT", error.File);
    }

    [Fact]
    public void ChemStationReader_SecondReportUnreadable_WarnsThatTheCrossCheckDidNotHappen()
    {
        var folder = GoldenCase("sources-disagree-held");
        var text = File.ReadAllBytes(Path.Combine(folder, "Report.TXT"));

        var output = ReadFolder(
            ("Result.xml", File.ReadAllBytes(Path.Combine(folder, "Result.xml"))),
            ("Report.TXT", text[..(text.Length / 2 & ~1)]));

        Assert.False(output.HasErrors);
        Assert.Single(output.Diagnostics, d => d.Code == DiagnosticCodes.CrossCheckUnavailable && d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal(4, output.Results.Count);
    }

    [Fact]
    public void ChemStationCrossCheck_PicogramsAgainstNanogramsOfTheSameAmount_Agree()
    {
        var (a, aRead) = Injection("Result.xml", ("Norepinephrine", "193.47", "pg/ml"));
        var (b, bRead) = Injection("Report.TXT", ("Norepinephrine", "1.93470e-1", "ng/ml"));
        var diagnostics = new List<Diagnostic>();

        var flags = ChemStationCrossCheck.Compare(a, aRead, b, bRead, diagnostics);

        Assert.Empty(flags);
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("62.40911", "62.4091110229492", true)]
    [InlineData("1.93470e-1", "0.193470001220703", true)]
    [InlineData("7.81266", "7.8126601577", true)]
    [InlineData("7.81266", "7.81366", false)]
    [InlineData("62.40911", "63.0", false)]
    public void ChemStationCrossCheck_Amounts_AgreeWithinTheCoarserPrintedPrecision(string text, string csv, bool agree)
    {
        var (a, aRead) = Injection("Report00.CSV", ("Serotonin", csv, "ng/ml"));
        var (b, bRead) = Injection("Report.TXT", ("Serotonin", text, "ng/ml"));
        var diagnostics = new List<Diagnostic>();

        var flags = ChemStationCrossCheck.Compare(a, aRead, b, bRead, diagnostics);

        Assert.Equal(agree, flags.Count == 0);
        Assert.Equal(agree, diagnostics.Count == 0);
    }

    [Fact]
    public void FixedWidthColumns_TwoLineIstdHeader_NamesEveryColumnWithItsUnit()
    {
        var columns = FixedWidthColumns.FromRuler(
            "-------|------|----|----------|----------|----------|--|------------------",
            "RetTime  Type  ISTD    Area     Amt/Area    Amount   Grp   Name",
            " [min]         used  [mV*s]      ratio     [ng/ml]");

        Assert.Equal(["RetTime", "Type", "ISTD used", "Area", "Amt/Area ratio", "Amount", "Grp", "Name"], columns.Columns.Select(c => c.Name));
        Assert.Equal(["min", null, null, "mV*s", null, "ng/ml", null, null], columns.Columns.Select(c => c.Unit));
        Assert.Equal("531.23458", FixedWidthColumns.Cell("  8.335 MF        1   10.97505    5.42183  531.23458    Glyoxylate", columns.Find("Amount")));
        Assert.Equal("FM   I", FixedWidthColumns.Cell(" 18.803 FM   I    1   11.20124    1.00000  100.00000    Adonitol", columns.Find("Type")));
    }

    [Fact]
    public void FixedWidthColumns_AreaPercentHeaderWithBracketedSpaceUnit_KeepsTheUnitWhole()
    {
        var columns = FixedWidthColumns.FromRuler(
            "----|-------|------|-------|----------|--------|---------------------",
            "Peak RetTime  Type   Width     Area      Area    Name",
            "  #   [min]          [min]  [25 µV*s]      %");

        Assert.Equal(["Peak #", "RetTime", "Type", "Width", "Area", "Area %", "Name"], columns.Columns.Select(c => c.Name));
        Assert.Equal("25 µV*s", columns.Find("Area").Unit);
    }

    [Fact]
    public void FixedWidthColumns_ValueRunningAcrossABoundary_IsReportedWithItsPosition()
    {
        var columns = FixedWidthColumns.FromRuler("-------|------|----------|", "RetTime Type     Area", "  [min]        [mV*s]");

        var crossing = columns.Crossing("  9.119 VB  211398.7066");

        Assert.NotNull(crossing);
        Assert.Equal(("211398.7066", "Type", "Area"), (crossing.Value.Text, crossing.Value.Left, crossing.Value.Right));
        Assert.Equal(12, crossing.Value.Position);
        Assert.Null(columns.Crossing("  9.119 VB     398.70661"));
    }

    [Theory]
    [InlineData("Sine14.M (Sequence", "Method)", "Sine14.M (Sequence Method)")]
    [InlineData("C:\\Chem32\\1\\DATA\\DEF_", "LC.S", "C:\\Chem32\\1\\DATA\\DEF_LC.S")]
    [InlineData("16-17-52\\", "RAYKODTA.M (Sequence Method)", "16-17-52\\RAYKODTA.M (Sequence Method)")]
    [InlineData("2:39:30 PM by SYSTEM", "(modified after loading)", "2:39:30 PM by SYSTEM (modified after loading)")]
    public void ChemStationTextReport_WrappedValue_GetsItsDroppedSpaceBackOnlyBetweenWords(string first, string continuation, string joined) =>
        Assert.Equal(joined, ChemStationTextReport.Join(first, continuation));

    [Theory]
    [InlineData("FM   I", true)]
    [InlineData("BV   I", true)]
    [InlineData("MM N", false)]
    [InlineData("BB", false)]
    [InlineData("I", false)]
    [InlineData("VBA", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void ChemStationRows_InternalStandardMarker_IsTheLastSeparateCodeI(string? type, bool isInternalStandard) =>
        Assert.Equal(isInternalStandard, ChemStationRows.IsInternalStandardType(type));

    [Theory]
    [InlineData("13-Jan-15, 11:16:49", "2015-01-13T11:16:49")]
    [InlineData("13-Jan-15 11:16:49 AM", "2015-01-13T11:16:49")]
    [InlineData("15-Jan-15 3:16:23 PM", "2015-01-15T15:16:23")]
    [InlineData("4/19/2018 6:37:00 PM", "2018-04-19T18:37:00")]
    [InlineData("10/6/2016 10:47:26 AM", "2016-10-06T10:47:26")]
    [InlineData("23-Aug-22, 12:48:20", "2022-08-23T12:48:20")]
    public void ChemStationRows_InjectionDates_ParseInEveryFormChemStationWrites(string text, string expected)
    {
        Assert.True(ChemStationRows.TryParseDate(text, Context(), out var value));
        Assert.Equal(DateTime.Parse(expected, CultureInfo.InvariantCulture), value);
        Assert.Equal(DateTimeKind.Unspecified, value!.Value.Kind);
    }

    [Theory]
    [InlineData("531.23458", 0.000005)]
    [InlineData("9.08191e-1", 0.0000005)]
    [InlineData("1.95262e4", 0.05)]
    [InlineData("100", 0.5)]
    public void ChemStationCrossCheck_PrintedResolution_IsHalfTheLastDigit(string text, double half)
    {
        var value = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal((decimal)half / value, ChemStationCrossCheck.RelativeResolution(text, value), 12);
    }

    [Fact]
    public void AcamlReader_UnknownCompoundType_IsRejectedAtTheTypeElement()
    {
        var xml = Acaml();
        var at = xml.IndexOf("<Type>Expected</Type>", StringComparison.Ordinal);
        var output = ReadAcaml(string.Concat(xml.AsSpan(0, at), "<Type>Mystery</Type>", xml.AsSpan(at + "<Type>Expected</Type>".Length)));

        var error = Assert.Single(output.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.UnknownCompoundType, error.Code);
        Assert.Contains("'Mystery'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void AcamlReader_AmountNotSet_IsNoValueWithAVendorFlag()
    {
        var output = ReadAcaml(Acaml().Replace("<Amount val=\"9.287713\" unit=\"ng/ml\" />", "<Amount val=\"-1\" unit=\"ng/ml\" />", StringComparison.Ordinal));

        var dopamine = Assert.Single(output.Results, r => r.RawAnalyte == "Dopamine");
        Assert.Equal(ValueKind.NoValue, dopamine.Value.Kind);
        Assert.Contains("ACAML: amount not set (-1)", dopamine.VendorFlags);
    }

    [Fact]
    public void AcamlReader_SequenceWithTwoInjectionResults_IsRejected()
    {
        var xml = Acaml();
        var start = xml.IndexOf("\t\t\t\t<Result xsi:type=\"InjectionResultType\"", StringComparison.Ordinal);
        var end = xml.IndexOf("\t\t\t</Injections>", StringComparison.Ordinal);
        var output = ReadAcaml(xml.Insert(end, xml[start..end]));

        Assert.Equal(DiagnosticCodes.SeveralInjections, Assert.Single(output.Diagnostics, d => d.IsError).Code);
        Assert.Empty(output.Results);
    }

    [Fact]
    public void AcamlReader_UtcInjectionTimeWithoutAnOffsetAnywhere_LeavesTheAcquisitionTimeEmpty()
    {
        var output = ReadAcaml(Acaml().Replace("<CreationDate>2026-11-19T11:58:40.102+01:00</CreationDate>", "<CreationDate>2026-11-19T10:58:40.102Z</CreationDate>", StringComparison.Ordinal));

        Assert.All(output.Results, r => Assert.Null(r.AcquiredLocal));
        Assert.Contains(output.Diagnostics, d => d.Code == DiagnosticCodes.AcquisitionTimeNote && d.Message.Contains("left empty", StringComparison.Ordinal));
        Assert.Equal("2026-11-19T10:12:55Z", output.RunInfo.Properties["Injection time (as written)"]);
    }

    [Fact]
    public void Probes_FolderReaderTakesFoldersOnly_AcamlReaderSingleFilesOnly()
    {
        var acaml = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Acaml())).ToArray();
        var single = SourceProbe.Create(ReadSource.FromBytes("sample.acaml", acaml));
        var folder = SourceProbe.Create(Folder(("sample.acaml", acaml)));
        var bomOnly = SourceProbe.Create(Folder(("REPORT01.CSV", [0xFF, 0xFE])));
        var foreign = SourceProbe.Create(Folder(("notes.txt", "Peak Name: Mirtazapine\r\n"u8.ToArray())));

        Assert.Equal((0, 100), (new ChemStationFolderReader().Probe(single), new AcamlExportReader().Probe(single)));
        Assert.Equal((100, 0), (new ChemStationFolderReader().Probe(folder), new AcamlExportReader().Probe(folder)));
        Assert.Equal(60, new ChemStationFolderReader().Probe(bomOnly));
        Assert.Equal(0, new ChemStationFolderReader().Probe(foreign));
    }

    /// <summary>nHapi-style "must not throw": every golden input cut at many lengths is read to diagnostics, never to an exception.</summary>
    [Fact]
    public void ChemStationReaders_InputsCutAtAnyLength_NeverThrow()
    {
        var root = Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "agilent-chemstation-d");
        foreach (var caseFolder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var files = Directory.EnumerateFiles(Path.Combine(caseFolder, "input.D")).Order(StringComparer.Ordinal)
                .Select(p => (Name: Path.GetFileName(p), Bytes: File.ReadAllBytes(p))).ToList();
            for (var victim = 0; victim < files.Count; victim++)
            {
                var bytes = files[victim].Bytes;
                for (var cut = 0; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 23))
                {
                    var cutFiles = files.Select((f, i) => i == victim ? (f.Name, f.Bytes[..cut]) : (f.Name, f.Bytes)).ToArray();
                    var output = new ReadOutput();
                    new ChemStationFolderReader().Read(Folder(cutFiles), Context(), output);
                    Assert.True(output.HasErrors || output.Results.Count > 0 || cut == 0,
                        $"{Path.GetFileName(caseFolder)}/{files[victim].Name} cut at {cut}: neither rows nor an error");
                }
            }
        }

        var acaml = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "agilent-acaml", "patient-acaml15-manual-and-unknown-peak", "input.acaml"));
        for (var cut = 1; cut < acaml.Length; cut += 97)
        {
            var output = new ReadOutput();
            new AcamlExportReader().Read(ReadSource.FromBytes("input.acaml", acaml[..cut]), Context(), output);
            Assert.True(output.HasErrors, $"ACAML cut at {cut} read without an error");
        }
    }

    private static (ChemStationInjection, ChemStationRead) Injection(string file, params (string Compound, string Amount, string Unit)[] rows)
    {
        var injection = new ChemStationInjection { File = file, Kind = file, HasAmounts = true, SampleName = new ChemStationText("P-26-0417", 1), SampleType = new ChemStationText("Sample", 2) };
        var line = 10;
        foreach (var (compound, amount, unit) in rows)
        {
            injection.Peaks.Add(new ChemStationPeak { File = file, Line = line++, Compound = compound, PeakType = "BB", Area = 100, AmountText = amount, AmountUnit = unit });
        }

        return (injection, ChemStationRows.Build(injection, Context(), new ReadOutput()));
    }

    private static string Report00(string[]? signals = null)
    {
        signals ??= [Ecd];
        var lines = new List<string>
        {
            "\"Sample Name\",\"P-26-0417\",\"\"",
            "\"Sample Type\",\"Sample\",\"\"",
            "\"Injection Date\",\"19-Nov-26, 09:58:06\",\"\"",
            "\"Acq. Operator\",\"mkeller\",\"\"",
            "\"Dilution:                     \",1,\"\"",
            string.Create(CultureInfo.InvariantCulture, $"\"Number of Signals\",{signals.Length},\"\""),
        };
        lines.AddRange(signals.Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"\"Signal {i + 1}\",\"{s}\",\"\"")));
        lines.Add("\"Number of Errors and Warnings\",0,\"\"");
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"\"Number of Columns\",{IstdColumns.Length},\"\""));
        lines.AddRange(IstdColumns);
        return string.Join("\n", lines) + "\n";
    }

    private static byte[] Utf16(string text) => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))];

    private static string GoldenCase(string name) =>
        Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "agilent-chemstation-d", name, "input.D");

    private static string Acaml()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "agilent-acaml", "patient-acaml15-manual-and-unknown-peak", "input.acaml"));
        return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
    }

    private static ReadOutput ReadAcaml(string xml)
    {
        var output = new ReadOutput();
        new AcamlExportReader().Read(ReadSource.FromBytes("sample.acaml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(xml)]), Context(), output);
        return output;
    }

    private static ReadOutput ReadFolder(params (string Name, byte[] Bytes)[] files)
    {
        var output = new ReadOutput();
        new ChemStationFolderReader().Read(Folder(files), Context(), output);
        return output;
    }

    private static ReadSource Folder(params (string Name, byte[] Bytes)[] files) =>
        new("input.D", isFolder: true, files.Select(f => new SourceFile(f.Name, f.Bytes.Length, () => new MemoryStream(f.Bytes, writable: false))).ToList());

    private static ReaderContext Context() => new() { InstrumentId = "test", Culture = CultureInfo.GetCultureInfo("en-US") };
}
