using MirtLab.Core.Catalog;

namespace MirtLab.Core.Rules;

/// <summary>
/// The clinical configuration in force: catalog, ranges, sample-type patterns and acceptance criteria,
/// with the version every flag and decision records so QA can reconstruct it.
/// </summary>
public sealed class RuleSet
{
    public required string Label { get; init; }

    /// <summary>SHA-256 (hex) of the configuration file's bytes.</summary>
    public required string ContentHash { get; init; }

    public required AnalyteCatalog Catalog { get; init; }

    public IReadOnlyList<SampleTypeRule> SampleTypeRules { get; init; } = [];

    public AcceptanceCriteria Acceptance { get; init; } = new();

    /// <summary>Configured QC targets (mean, SD) per analyte and level for the Westgard rules (<c>qcTargets</c>).</summary>
    public IReadOnlyList<QcTarget> QcTargets { get; init; } = [];

    /// <summary>Patterns that find patient id, dose, sex and age in a sample's name, id or comment.</summary>
    public IReadOnlyList<SampleMetadataRule> SampleMetadataRules { get; init; } = [];

    /// <summary>Interpretive comments: a separate rule set that never changes a flag.</summary>
    public IReadOnlyList<CommentRule> CommentRules { get; init; } = [];

    /// <summary>The version string recorded on every flag: label and the first 12 hex digits of the content hash.</summary>
    public string Version => $"{Label}+{ContentHash[..12]}";
}
