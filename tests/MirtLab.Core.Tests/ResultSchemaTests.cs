using System.Text.Json;
using System.Text.Json.Nodes;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Testing;

namespace MirtLab.Core.Tests;

/// <summary>
/// The published schema file and the code that writes documents must not drift apart: every property
/// written is declared, every required one is written, and enumerations hold the values written.
/// (No JSON-Schema validator package is available here; this checks the parts a consumer relies on.)
/// </summary>
public sealed class ResultSchemaTests
{
    private static readonly JsonObject Schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "MirtLab.Core", "Schemas", "result.v2.schema.json")))!.AsObject();

    [Fact]
    public void EveryDocumentProperty_IsDeclared_AndEveryRequiredOneIsWritten()
    {
        foreach (var document in Documents())
        {
            var json = JsonSerializer.SerializeToNode(document, MirtLabJson.Default.ResultDocument)!.AsObject();
            var declared = Schema["properties"]!.AsObject();
            foreach (var property in json)
            {
                Assert.True(declared.ContainsKey(property.Key), $"'{property.Key}' is written but not in the schema");
            }

            foreach (var required in Schema["required"]!.AsArray().Select(r => (string)r!))
            {
                Assert.True(json.ContainsKey(required), $"required '{required}' is not written");
            }

            var qualifiers = declared["qualifier"]!["enum"]!.AsArray().Select(v => v?.GetValue<string>()).ToList();
            Assert.Contains((string?)json["qualifier"], qualifiers);
            Assert.Contains((string)json["sampleType"]!, declared["sampleType"]!["enum"]!.AsArray().Select(v => (string)v!));
            Assert.Equal((string?)Schema["properties"]!["schema"]!["const"], (string?)json["schema"]);
        }
    }

    private static IEnumerable<ResultDocument> Documents()
    {
        var identity = new RunIdentity(new string('a', 64), "plate.txt", "test", "tq5500");
        foreach (var value in new[] { ResultValue.FromNumber(46.3m), ResultValue.Below(1m), ResultValue.NotDetected("No Peak") })
        {
            var result = new EvaluatedResult
            {
                ResultKey = new string('b', 32),
                Raw = new InstrumentResult
                {
                    Source = new SourcePosition("REPORT01.CSV", 3),
                    SampleName = "P-1",
                    SampleType = SampleType.Unknown,
                    RawAnalyte = "Mirtazapine",
                    RawValueText = "46.3",
                    Value = value,
                    AcquiredLocal = new DateTime(2026, 11, 21, 8, 0, 0),
                },
                SampleType = SampleType.Unknown,
                Value = value,
                Display = "x",
                Flags = [new ResultFlag("H", "range:x", "reason", "30-80", "v")],
                Status = ResultStatus.Preliminary,
            };
            yield return ResultDocument.From(result, identity, "v");
        }
    }
}
