namespace MirtLab.Core.Rules;

/// <summary>
/// A configured QC target (<c>qcTargets</c> in rules.json): the mean and SD of one analyte's QC level, in the
/// analyte's unit, with where they come from (the lab's own data, a manufacturer's insert).
/// </summary>
public sealed record QcTarget(string Analyte, decimal Level, decimal Mean, decimal Sd, string? Source);
