using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

public sealed class RunEvaluatorTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void AcceptedRun_PatientInRange_IsReleasedFinal()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "46.3")));
        var p = run.PatientResults.Single();
        Assert.Equal(ResultStatus.Final, p.Status);
        Assert.Empty(p.Flags);
        Assert.Empty(p.HoldReasons);
        Assert.Equal("46.3", p.Display);
        Assert.Equal("30-80", p.ReferenceRange);
        Assert.Equal(RunOutcome.Accepted, run.Analytes.Single().Outcome);
    }

    [Fact]
    public void PatientBelowTheLloq_IsReportedAsALimitNeverANumber()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "0.62")));
        var p = run.PatientResults.Single();
        Assert.Equal(ValueKind.BelowLimit, p.Value.Kind);
        Assert.Null(p.Value.Number);
        Assert.Equal(1.0m, p.Value.Limit);
        Assert.Equal("<1.0", p.Display);
        Assert.Equal(["<", "L"], p.Flags.Select(f => f.Code));
        Assert.Equal(0.62m, p.UnroundedNumber);
        Assert.Equal(ResultStatus.Preliminary, p.Status);
    }

    [Fact]
    public void PatientAboveTheUloq_IsReportedAsALimitWithDiluteAndRepeat()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "251")));
        var p = run.PatientResults.Single();
        Assert.Equal(">200.0", p.Display);
        Assert.Equal([">", "HH"], p.Flags.Select(f => f.Code));
        Assert.Contains(p.Flags, f => f.Reason.Contains("dilute and repeat", StringComparison.Ordinal));
    }

    [Fact]
    public void DilutedPatient_IsJudgedAgainstTheDilutedReportableRange()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "310", dilution: "2")));
        var p = run.PatientResults.Single();
        Assert.Equal("310.0", p.Display);
        Assert.Equal(["HH"], p.Flags.Select(f => f.Code));
    }

    [Fact]
    public void ExactlyTheLloq_IsReportedAsANumber()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "1.0")));
        Assert.Equal(ValueKind.Number, run.PatientResults.Single().Value.Kind);
    }

    [Fact]
    public void PatientJustBelowTheLloq_ThatRoundsToIt_IsReportedAsALimit()
    {
        var p = Evaluate(Calibrators().Append(Patient("P1", "0.96"))).PatientResults.Single();
        Assert.Equal(ValueKind.BelowLimit, p.Value.Kind);
        Assert.Null(p.Value.Number);
        Assert.Equal("<1.0", p.Display);
        Assert.Contains("<", p.Flags.Select(f => f.Code));
        Assert.Equal(0.96m, p.UnroundedNumber);
        Assert.Equal(ResultStatus.Preliminary, p.Status);
    }

    [Fact]
    public void PatientJustAboveTheUloq_ThatRoundsToIt_IsReportedAsALimit()
    {
        var p = Evaluate(Calibrators().Append(Patient("P1", "200.04"))).PatientResults.Single();
        Assert.Equal(ValueKind.AboveLimit, p.Value.Kind);
        Assert.Equal(">200.0", p.Display);
        Assert.Contains(">", p.Flags.Select(f => f.Code));
        Assert.Equal(ResultStatus.Preliminary, p.Status);
    }

    [Theory]
    [InlineData("1.00", "1.0")]
    [InlineData("200", "200.0")]
    public void ExactlyTheLloqOrTheUloq_IsReportedAsANumberWithoutARangeFlag(string value, string display)
    {
        var p = Evaluate(Calibrators().Append(Patient("P1", value))).PatientResults.Single();
        Assert.Equal(ValueKind.Number, p.Value.Kind);
        Assert.Equal(display, p.Display);
        Assert.DoesNotContain(p.Flags, f => f.RuleId == "reportable-range");
    }

    [Fact]
    public void DilutedPatientJustAboveTheDilutedUloq_IsReportedAsALimit()
    {
        var p = Evaluate(Calibrators().Append(Patient("P1", "400.06", dilution: "2"))).PatientResults.Single();
        Assert.Equal(">400.0", p.Display);
        Assert.Contains(">", p.Flags.Select(f => f.Code));
    }

    [Fact]
    public void NotDetectedPatient_IsHeldAndStaysNotDetected()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", null)));
        var p = run.PatientResults.Single();
        Assert.Equal(ValueKind.NotDetected, p.Value.Kind);
        Assert.Null(p.Value.Number);
        Assert.Equal(ResultStatus.Preliminary, p.Status);
        Assert.Contains(p.HoldReasons, h => h.Contains("No Peak", StringComparison.Ordinal));
    }

    [Fact]
    public void ValueInAnotherUnit_IsConvertedToTheCanonicalUnit_AndKeepsItsRawText()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "174.5", unit: "nmol/L")));
        var p = run.PatientResults.Single();
        Assert.Equal("ng/mL", p.Unit!.Code);
        Assert.Equal(46.3m, p.Value.Number);
        Assert.Equal("174.5", p.Raw.RawValueText);
        Assert.Equal("nmol/L", p.Raw.RawUnit);
    }

    [Fact]
    public void UnknownUnit_RejectsTheRunWithALocatedError()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "46.3", unit: "ng/dL", line: 77)));
        Assert.True(run.IsRejected);
        var error = Assert.Single(run.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.UnknownUnit, error.Code);
        Assert.Equal(77, error.Line);
    }

    [Fact]
    public void MissingUnit_RejectsTheRun()
    {
        var run = Evaluate(Calibrators().Append(Patient("P1", "46.3", unit: null)));
        Assert.Contains(run.Diagnostics, d => d.Code == DiagnosticCodes.MissingUnit && d.IsError);
    }

    [Fact]
    public void UnmappedCompound_IsAWarning_ItsRowsAreKeptButNotPatientResults()
    {
        var rows = Calibrators().Append(Patient("P1", "46.3")).Append(Patient("P1", "12.0", analyte: "Quetiapine", line: 90)).ToList();
        var run = Evaluate(rows);
        Assert.False(run.IsRejected);
        var warning = Assert.Single(run.Diagnostics, d => d.Code == DiagnosticCodes.UnmappedAnalyte);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        var unmapped = run.Results.Single(r => r.Raw.RawAnalyte == "Quetiapine");
        Assert.Null(unmapped.Analyte);
        Assert.False(unmapped.IsPatientResult);
        Assert.Single(run.PatientResults);
    }

    [Fact]
    public void BlankTypedUnknownByTheVendor_IsRecognisedByName_AndNeverPublished()
    {
        var run = Evaluate(Calibrators().Append(Patient("Double Blank 1", null, line: 71)).Append(Patient("30 006 Single Blank 1", null, line: 72)).Append(Patient("SST LLOQ", "1.1", line: 73)));
        Assert.Empty(run.PatientResults);
        Assert.Equal([SampleType.DoubleBlank, SampleType.Blank, SampleType.SystemSuitability], run.Results.Where(r => r.Raw.SampleType == SampleType.Unknown).Select(r => r.SampleType));
    }

    [Fact]
    public void SampleReclassifiedByName_LeavesAWarningNamingSamplePatternAndType()
    {
        var run = Evaluate(Calibrators().Append(Patient("Wash 3", "0.2", line: 71)).Append(Patient("Wash 3", "0.1", analyte: "N-desmethylmirtazapine", line: 72)));
        Assert.Empty(run.PatientResults);
        var warning = Assert.Single(run.Diagnostics, d => d.Code == DiagnosticCodes.SampleTypeFromName);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(71, warning.Line);
        Assert.Contains("'Wash 3'", warning.Message, StringComparison.Ordinal);
        Assert.Contains(@"'(?i)\b(solvent|wash)\b'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("solvent", warning.Message, StringComparison.Ordinal);
        Assert.False(run.IsRejected);
    }

    [Fact]
    public void PatientSampleWhoseNameMatchesATypePattern_StaysAPatientSample()
    {
        var run = Evaluate(Calibrators().Append(Patient("P-240118 trough (wash-out week 2)", "46.3", line: 71)));
        var p = Assert.Single(run.PatientResults);
        Assert.Equal(SampleType.Unknown, p.SampleType);
        Assert.Equal("P-240118", p.PatientId);
        Assert.Equal(ResultStatus.Final, p.Status);
        Assert.DoesNotContain(run.Diagnostics, d => d.Code == DiagnosticCodes.SampleTypeFromName);
        var note = Assert.Single(run.Diagnostics, d => d.Code == DiagnosticCodes.PatientSampleKeptDespiteName);
        Assert.Equal(DiagnosticSeverity.Info, note.Severity);
        Assert.Contains("P-240118", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PatientIdInTheSampleId_AlsoKeepsAPatientSample()
    {
        var row = With(Patient("blank tube", "46.3", line: 71), sampleId: "P-240119");
        var p = Assert.Single(Evaluate(Calibrators().Append(row)).PatientResults);
        Assert.Equal("P-240119", p.PatientId);
    }

    [Fact]
    public void PatientIdOnlyInTheComment_DoesNotKeepABlank()
    {
        var row = With(Patient("Blank after ULOQ", null, line: 71), comment: "after P-240117");
        var run = Evaluate(Calibrators().Append(row));
        Assert.Empty(run.PatientResults);
        Assert.Single(run.Diagnostics, d => d.Code == DiagnosticCodes.SampleTypeFromName);
    }

    [Fact]
    public void RunWithoutCalibrators_HoldsEveryPatientResult()
    {
        var run = Evaluate([Patient("P1", "46.3")]);
        var p = run.PatientResults.Single();
        Assert.Equal(RunOutcome.NotEvaluated, run.Analytes.Single().Outcome);
        Assert.Equal(ResultStatus.Preliminary, p.Status);
        Assert.Contains(p.HoldReasons, h => h.StartsWith("run.not-evaluated", StringComparison.Ordinal));
    }

    [Fact]
    public void RejectedCalibration_HoldsPatientsAndSaysWhy()
    {
        var bad = Calibrators().Select((c, i) => i < 3 ? With(c, value: "9.9") : c).ToList();
        var run = Evaluate(bad.Append(Patient("P1", "46.3")));
        var p = run.PatientResults.Single();
        Assert.Equal(RunOutcome.Rejected, run.Analytes.Single().Outcome);
        Assert.Equal(ResultStatus.Preliminary, p.Status);
        Assert.Contains(p.HoldReasons, h => h.StartsWith("run.rejected", StringComparison.Ordinal) && h.Contains("calibrators within tolerance", StringComparison.Ordinal));
        Assert.Contains(run.Diagnostics, d => d.Code == DiagnosticCodes.CalibrationRejected);
    }

    [Fact]
    public void VendorFlag_HoldsTheResult()
    {
        var row = With(Patient("P1", "46.3"), flags: ["Analyst: record modified (integration changed by hand)"]);
        var p = Evaluate(Calibrators().Append(row)).PatientResults.Single();
        Assert.Equal(ResultStatus.Preliminary, p.Status);
        Assert.Contains(p.HoldReasons, h => h.StartsWith("vendor:", StringComparison.Ordinal));
    }

    [Fact]
    public void InternalStandardRows_AreNeverPatientResults()
    {
        var row = With(Patient("P1", "1.0", analyte: "Mirtazapine-d3"), isInternalStandard: true);
        var run = Evaluate(Calibrators().Append(row));
        Assert.Empty(run.PatientResults);
        Assert.DoesNotContain(run.Diagnostics, d => d.Code == DiagnosticCodes.UnmappedAnalyte);
    }

    [Fact]
    public void AcquisitionTime_IsConvertedWithTheInstrumentsZone()
    {
        var p = Evaluate(Calibrators().Append(With(Patient("P1", "46.3"), acquired: new DateTime(2026, 11, 21, 8, 21, 7)))).PatientResults.Single();
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 7, 21, 7, TimeSpan.Zero), p.AcquiredUtc);
    }

    [Fact]
    public void AcquisitionTimeInTheSpringGap_HasNoUtc_AndSaysSo()
    {
        var run = Evaluate(Calibrators().Append(With(Patient("P1", "46.3"), acquired: new DateTime(2026, 3, 29, 2, 30, 0))));
        Assert.Null(run.PatientResults.Single().AcquiredUtc);
        Assert.Contains(run.Diagnostics, d => d.Code == DiagnosticCodes.AmbiguousLocalTime);
    }

    [Fact]
    public void Evaluation_IsDeterministic()
    {
        var rows = Calibrators().Append(Patient("P1", "46.3")).Append(Patient("P2", "0.5", line: 71)).ToList();
        var a = Evaluate(rows);
        var b = Evaluate(rows);
        Assert.Equal(a.Results.Select(r => (r.ResultKey, r.Display, r.Status)), b.Results.Select(r => (r.ResultKey, r.Display, r.Status)));
    }

    private static EvaluatedRun Evaluate(IEnumerable<InstrumentResult> rows) =>
        RunEvaluator.Evaluate(
            new RunInput(new RunIdentity(Sha, "plate.txt", "test", "tq5500"), new RunInfo(), rows.ToList(), Berlin, []),
            TestRules.Default);

    private static IEnumerable<InstrumentResult> Calibrators()
    {
        string[] levels = ["1.0", "2.5", "5.0", "10.0", "25.0", "50.0", "100", "200"];
        var line = 10;
        foreach (var level in levels)
        {
            yield return Row($"CAL {line}", SampleType.Standard, "Mirtazapine", level, "ng/mL", line++, nominal: level);
        }

        foreach (var (level, measured) in new[] { ("3.0", "2.9"), ("3.0", "3.1"), ("40", "41"), ("40", "39"), ("160", "158"), ("160", "163") })
        {
            yield return Row($"QC {line}", SampleType.QualityControl, "Mirtazapine", measured, "ng/mL", line++, nominal: level);
        }
    }

    private static InstrumentResult Patient(string name, string? value, string analyte = "Mirtazapine", string? unit = "ng/mL", int line = 70, string? dilution = null) =>
        Row(name, SampleType.Unknown, analyte, value, unit, line, dilution: dilution);

    private static InstrumentResult Row(string name, SampleType type, string analyte, string? value, string? unit, int line, string? nominal = null, string? dilution = null) => new()
    {
        Source = new SourcePosition(null, line),
        SampleName = name,
        SampleType = type,
        RawAnalyte = analyte,
        RawValueText = value ?? "No Peak",
        Value = value is null ? ResultValue.NotDetected("No Peak") : ResultValue.FromNumber(Dec(value)),
        RawUnit = unit,
        Nominal = nominal is null ? null : Dec(nominal),
        DilutionFactor = dilution is null ? null : Dec(dilution),
    };

    private static InstrumentResult With(InstrumentResult r, string? value = null, IReadOnlyList<string>? flags = null, bool? isInternalStandard = null, DateTime? acquired = null, string? sampleId = null, string? comment = null) => new()
    {
        Source = r.Source,
        SampleName = r.SampleName,
        SampleId = sampleId ?? r.SampleId,
        Comment = comment ?? r.Comment,
        SampleType = r.SampleType,
        RawAnalyte = r.RawAnalyte,
        RawValueText = value ?? r.RawValueText,
        Value = value is null ? r.Value : ResultValue.FromNumber(Dec(value)),
        RawUnit = r.RawUnit,
        Nominal = r.Nominal,
        DilutionFactor = r.DilutionFactor,
        VendorFlags = flags ?? r.VendorFlags,
        IsInternalStandard = isInternalStandard ?? r.IsInternalStandard,
        AcquiredLocal = acquired ?? r.AcquiredLocal,
    };

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ResultKeyCollisionTests
{
    [Fact]
    public void TwoRowsAtTheSamePositionForTheSameCompound_AreRefused_NotMerged()
    {
        var row = RunBuilder.Patient("P-1", "Mirtazapine", "46.3");
        var twin = new Results.InstrumentResult
        {
            Source = row.Source,
            SampleName = "P-2",
            SampleType = row.SampleType,
            RawAnalyte = row.RawAnalyte,
            RawValueText = "50.1",
            Value = Results.ResultValue.FromNumber(50.1m),
            RawUnit = row.RawUnit,
        };
        var run = RunBuilder.Evaluate([row, twin]);
        var error = Assert.Single(run.Diagnostics, d => d.IsError);
        Assert.Equal(Diagnostics.DiagnosticCodes.DuplicateRow, error.Code);
        Assert.True(run.IsRejected);
    }

    [Fact]
    public void SameLineDifferentColumns_GiveDifferentKeys()
    {
        var a = Results.ResultKeys.ResultKey(RunBuilder.Sha, new Results.SourcePosition(null, 3, 3), "Mirtazapine");
        var b = Results.ResultKeys.ResultKey(RunBuilder.Sha, new Results.SourcePosition(null, 3, 12), "Mirtazapine");
        var lineOnly = Results.ResultKeys.ResultKey(RunBuilder.Sha, new Results.SourcePosition(null, 3), "Mirtazapine");
        Assert.Equal(3, new[] { a, b, lineOnly }.Distinct(StringComparer.Ordinal).Count());
    }
}
