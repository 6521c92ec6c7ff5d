using System.Text.Json.Serialization;

namespace MirtLab.Core.Runs;

/// <summary>The model a vendor fitted to the calibrators.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<FitModel>))]
public enum FitModel
{
    Linear,
    Quadratic,
}

/// <summary>The regression weighting a vendor used.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<Weighting>))]
public enum Weighting
{
    None,
    OneOverX,
    OneOverXSquared,

    // The other weightings SCIEX Analyst offers ("Analyst Regression Equations", SCIEX knowledge base):
    // 1 / y, 1 / y², ln x, ln y.
    OneOverY,
    OneOverYSquared,
    LnX,
    LnY,
}

/// <summary>
/// A calibration curve as the vendor's software fitted it. Coefficients are in ascending power:
/// intercept, slope (linear) or a0, a1, a2 (quadratic). <see cref="CorrelationCoefficient"/> is r, not r².
/// </summary>
public sealed record VendorCalibration(
    string Analyte,
    string? InternalStandard,
    FitModel Fit,
    Weighting Weighting,
    IReadOnlyList<double> Coefficients,
    double? CorrelationCoefficient,
    string? Response,
    int Line);

/// <summary>Run-level facts an export carries besides its rows.</summary>
public sealed class RunInfo
{
    public string? BatchName { get; init; }

    public string? InstrumentName { get; init; }

    public string? AcquisitionMethod { get; init; }

    public string? Operator { get; init; }

    public IReadOnlyList<VendorCalibration> Calibrations { get; init; } = [];

    /// <summary>Other header facts, by the vendor's own key.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
