using System.Globalization;
using System.Text.RegularExpressions;
using MirtLab.Core.Results;

namespace MirtLab.Core.Rules;

/// <summary>Where in a row a metadata pattern looks.</summary>
public enum MetadataField
{
    SampleName,
    SampleId,
    Comment,
}

/// <summary>What MirtLab knows about the patient behind a sample, from the sample's own metadata.</summary>
public sealed record SampleMetadata(string? PatientId, decimal? DoseMgPerDay, string? Sex, decimal? AgeYears)
{
    public static SampleMetadata None { get; } = new(null, null, null, null);
}

/// <summary>
/// A pattern over one field of a row whose named groups give patient metadata: <c>patient</c>, <c>dose</c>
/// (mg/day), <c>sex</c>, <c>age</c> (years). E.g. a sample comment <c>dose=30mg/d</c>. Patterns apply in order;
/// the first value found for each item wins.
/// </summary>
public sealed record SampleMetadataRule(MetadataField Field, Regex Pattern)
{
    public static readonly string[] Groups = ["patient", "dose", "sex", "age"];

    // The rows of one injection (one per compound) carry the same name, id and comment: the last answer is reused
    // rather than running every pattern again (the patterns are the costliest step of judging a patient).
    [ThreadStatic]
    private static (IReadOnlyList<SampleMetadataRule> Rules, string? Name, string? Id, string? Comment, SampleMetadata Metadata)? t_last;

    public static SampleMetadata Extract(InstrumentResult row, IReadOnlyList<SampleMetadataRule> rules)
    {
        if (t_last is { } last && ReferenceEquals(last.Rules, rules) && string.Equals(last.Name, row.SampleName, StringComparison.Ordinal)
            && string.Equals(last.Id, row.SampleId, StringComparison.Ordinal) && string.Equals(last.Comment, row.Comment, StringComparison.Ordinal))
        {
            return last.Metadata;
        }

        var metadata = ExtractUncached(row, rules);
        t_last = (rules, row.SampleName, row.SampleId, row.Comment, metadata);
        return metadata;
    }

    /// <summary>
    /// The patient id a sample's name or id carries per these patterns, or null. The comment is not asked: it is
    /// free text a technician writes about any injection ("blank after P-240117").
    /// </summary>
    public static string? PatientIdInNameOrId(InstrumentResult row, IReadOnlyList<SampleMetadataRule> rules)
    {
        foreach (var rule in rules.Where(r => r.Field is MetadataField.SampleName or MetadataField.SampleId))
        {
            var text = rule.Field == MetadataField.SampleName ? row.SampleName : row.SampleId;
            if (!string.IsNullOrWhiteSpace(text) && PatternMatch.Match(rule.Pattern, text) is { Success: true } match && Group(match, "patient") is { } patient)
            {
                return patient;
            }
        }

        return null;
    }

    private static SampleMetadata ExtractUncached(InstrumentResult row, IReadOnlyList<SampleMetadataRule> rules)
    {
        string? patient = null, sex = null;
        decimal? dose = null, age = null;
        foreach (var rule in rules)
        {
            var text = rule.Field switch
            {
                MetadataField.SampleName => row.SampleName,
                MetadataField.SampleId => row.SampleId,
                _ => row.Comment,
            };
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var match = PatternMatch.Match(rule.Pattern, text);
            if (!match.Success)
            {
                continue;
            }

            patient ??= Group(match, "patient");
            sex ??= NormaliseSex(Group(match, "sex"));
            dose ??= Number(Group(match, "dose"));
            age ??= Number(Group(match, "age"));
        }

        return new SampleMetadata(patient, dose, sex, age);
    }

    private static string? Group(Match match, string name) =>
        match.Groups[name] is { Success: true } g && g.Value.Trim().Length > 0 ? g.Value.Trim() : null;

    private static decimal? Number(string? text) =>
        text is not null && decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? NormaliseSex(string? text) => text?.ToUpperInvariant() switch
    {
        "M" or "MALE" or "MAN" or "MÄNNLICH" => "M",
        "F" or "W" or "FEMALE" or "WOMAN" or "WEIBLICH" => "F",
        _ => null,
    };
}
