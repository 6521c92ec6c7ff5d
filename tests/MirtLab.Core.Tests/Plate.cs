using System.Globalization;
using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

/// <summary>
/// An LC-MS/MS plate of mirtazapine with peak data, in injection order six minutes apart: eight calibrators
/// 1–200 ng/mL on the exact line area/IS = 0.002 + 0.02·x (IS area 150,000, retention time 2.00 min), duplicate QCs
/// at 3, 40 and 160, then whatever a test appends. The vendor's curve states that line (linear, 1/x²).
/// </summary>
internal sealed class Plate
{
    public const double IsArea = 150000;
    private readonly List<InstrumentResult> _rows = [];
    private DateTime _time = new(2026, 11, 21, 8, 0, 0);
    private int _line = 30;

    public Plate(bool withCurve = true)
    {
        if (!withCurve)
        {
            return;
        }

        foreach (var level in new[] { 1m, 2.5m, 5m, 10m, 25m, 50m, 100m, 200m })
        {
            Add($"CAL {level.ToString(CultureInfo.InvariantCulture)}", SampleType.Standard, level, level);
        }

        foreach (var (level, measured) in new[] { (3m, 2.9m), (3m, 3.1m), (40m, 41m), (40m, 39m), (160m, 158m), (160m, 163m) })
        {
            Add($"QC {level.ToString(CultureInfo.InvariantCulture)}", SampleType.QualityControl, measured, level);
        }
    }

    public VendorCalibration Vendor { get; set; } = new("Mirtazapine", "Mirtazapine-d3", FitModel.Linear, Weighting.OneOverXSquared, [0.002, 0.02], 0.9999, "area", 8);

    public IReadOnlyList<InstrumentResult> Rows => _rows;

    public static double Ratio(decimal concentration) => 0.002 + (0.02 * (double)concentration);

    /// <summary>Adds an injection whose area follows the line for <paramref name="value"/> unless given.</summary>
    public Plate Add(
        string name,
        SampleType type,
        decimal? value,
        decimal? nominal = null,
        double? area = null,
        double? isArea = IsArea,
        double? retentionTime = 2.00,
        double? ionRatio = null,
        bool? used = null,
        DateTime? acquired = null)
    {
        _time = _time.AddMinutes(6);
        _rows.Add(new InstrumentResult
        {
            Source = new SourcePosition(null, _line++),
            SampleName = name,
            SampleType = type,
            RawAnalyte = "Mirtazapine",
            InternalStandard = "Mirtazapine-d3",
            RawValueText = value?.ToString(CultureInfo.InvariantCulture) ?? "No Peak",
            Value = value is decimal v ? ResultValue.FromNumber(v) : ResultValue.NotDetected("No Peak"),
            RawUnit = "ng/mL",
            Nominal = nominal,
            Area = area ?? (value is decimal c ? Ratio(c) * (isArea ?? IsArea) : 0d),
            InternalStandardArea = isArea,
            RetentionTime = value is null && area is null ? 0d : retentionTime,
            IonRatio = ionRatio,
            UsedInCalibration = used ?? (type == SampleType.Standard ? true : null),
            AcquiredLocal = acquired ?? _time,
        });
        return this;
    }

    public Plate Patient(string name, decimal? value, double? isArea = IsArea, double? retentionTime = 2.00, double? ionRatio = null) =>
        Add(name, SampleType.Unknown, value, isArea: isArea, retentionTime: retentionTime, ionRatio: ionRatio);

    /// <summary>Changes every row so far.</summary>
    public Plate ChangeAll(Func<InstrumentResult, int, InstrumentResult> change)
    {
        for (var i = 0; i < _rows.Count; i++)
        {
            _rows[i] = change(_rows[i], i);
        }

        return this;
    }

    /// <summary>Replaces a row (matched by sample name) with a changed copy.</summary>
    public Plate Change(string name, Func<InstrumentResult, InstrumentResult> change)
    {
        var i = _rows.FindIndex(r => r.SampleName == name);
        _rows[i] = change(_rows[i]);
        return this;
    }

    public EvaluatedRun Evaluate(RuleSet? rules = null, RunContext? context = null, RunInfo? info = null) =>
        RunEvaluator.Evaluate(
            new RunInput(new RunIdentity(RunBuilder.Sha, "plate.txt", "sciex-analyst-results", "tq5500"), info ?? new RunInfo { Calibrations = [Vendor] }, _rows, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), []),
            rules ?? TestRules.Default,
            context);

    public static RuleSet With(AcceptanceCriteria acceptance, IReadOnlyList<QcTarget>? targets = null)
    {
        var d = TestRules.Default;
        return new RuleSet
        {
            Label = d.Label,
            ContentHash = d.ContentHash,
            Catalog = d.Catalog,
            SampleTypeRules = d.SampleTypeRules,
            Acceptance = acceptance,
            QcTargets = targets ?? d.QcTargets,
            SampleMetadataRules = d.SampleMetadataRules,
            CommentRules = d.CommentRules,
        };
    }

    public static InstrumentResult Copy(InstrumentResult r, double? area = null, double? isArea = null, bool? used = null, decimal? value = null, bool clearIsArea = false, double? ionRatio = null, double? retentionTime = null) => new()
    {
        Source = r.Source,
        SampleName = r.SampleName,
        SampleType = r.SampleType,
        RawAnalyte = r.RawAnalyte,
        InternalStandard = r.InternalStandard,
        RawValueText = value?.ToString(CultureInfo.InvariantCulture) ?? r.RawValueText,
        Value = value is decimal v ? ResultValue.FromNumber(v) : r.Value,
        RawUnit = r.RawUnit,
        Nominal = r.Nominal,
        Area = area ?? r.Area,
        InternalStandardArea = clearIsArea ? null : isArea ?? r.InternalStandardArea,
        RetentionTime = retentionTime ?? r.RetentionTime,
        IonRatio = ionRatio ?? r.IonRatio,
        UsedInCalibration = used ?? r.UsedInCalibration,
        AcquiredLocal = r.AcquiredLocal,
    };
}
