using System.Text.Json;
using System.Text.Json.Serialization;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;

namespace MirtLab.Core;

/// <summary>Source-generated JSON for the documents MirtLab stores and publishes: camelCase, no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(ResultDocument))]
[JsonSerializable(typeof(List<ResultDocument>))]
[JsonSerializable(typeof(RunDocument))]
[JsonSerializable(typeof(List<Diagnostics.Diagnostic>))]
public sealed partial class MirtLabJson : JsonSerializerContext
{
    private static readonly Lazy<JsonSerializerOptions> IndentedLazy = new(() => new JsonSerializerOptions(Default!.Options) { WriteIndented = true });

    /// <summary>Options for human-facing output (<c>check --json</c>).</summary>
    public static JsonSerializerOptions Indented => IndentedLazy.Value;
}
