using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>A regression model and weighting, as MirtLab fits it and as the lab's configuration and messages name it.</summary>
public sealed record CalibrationModel(FitModel Fit, Weighting Weighting)
{
    /// <summary>True for the models MirtLab re-evaluates: linear or quadratic with no weighting or 1/x, 1/x², 1/y, 1/y².</summary>
    public bool IsSupported => Weighting is not (Weighting.LnX or Weighting.LnY);

    public static bool TryParseFit(string? text, out FitModel fit)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "LINEAR":
                fit = FitModel.Linear;
                return true;
            case "QUADRATIC":
                fit = FitModel.Quadratic;
                return true;
            default:
                fit = default;
                return false;
        }
    }

    /// <summary>Reads <c>none</c>, <c>1/x</c>, <c>1/x2</c> (also <c>1/x^2</c>, <c>1/x²</c>), <c>1/y</c>, <c>1/y2</c>; spaces are ignored.</summary>
    public static bool TryParseWeighting(string? text, out Weighting weighting)
    {
        var compact = string.Concat((text ?? string.Empty).Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant().Replace("^", string.Empty, StringComparison.Ordinal).Replace("²", "2", StringComparison.Ordinal);
        Weighting? parsed = compact switch
        {
            "NONE" or "1" => Weighting.None,
            "1/X" => Weighting.OneOverX,
            "1/X2" => Weighting.OneOverXSquared,
            "1/Y" => Weighting.OneOverY,
            "1/Y2" => Weighting.OneOverYSquared,
            _ => null,
        };
        weighting = parsed ?? default;
        return parsed is not null;
    }

    public static string Describe(FitModel fit) => fit == FitModel.Quadratic ? "quadratic" : "linear";

    public static string Describe(Weighting weighting) => weighting switch
    {
        Weighting.None => "no weighting",
        Weighting.OneOverX => "1/x",
        Weighting.OneOverXSquared => "1/x²",
        Weighting.OneOverY => "1/y",
        Weighting.OneOverYSquared => "1/y²",
        Weighting.LnX => "ln x",
        Weighting.LnY => "ln y",
        _ => weighting.ToString(),
    };

    public override string ToString() => $"{Describe(Fit)}, {Describe(Weighting)}";
}
