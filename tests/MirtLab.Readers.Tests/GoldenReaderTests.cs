using System.Globalization;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests;

/// <summary>
/// Every folder under <c>Golden/{format}/</c> is a case: an <c>input*</c> (bytes exactly as an instrument would
/// write them), an optional <c>context.json</c> (culture, default unit, date formats), and the expected reader
/// output. Adding a case is adding files.
/// </summary>
public sealed class GoldenReaderTests
{
    public static TheoryData<string, string> AllCases()
    {
        var data = new TheoryData<string, string>();
        var root = Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden");
        foreach (var group in Directory.EnumerateDirectories(root).Select(Path.GetFileName).OrderBy(g => g, StringComparer.Ordinal))
        {
            foreach (var name in Golden.Cases("MirtLab.Readers.Tests", group!))
            {
                data.Add(group!, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Reader_GoldenCase_ProducesExpectedOutput(string group, string name)
    {
        var folder = Golden.CaseFolder("MirtLab.Readers.Tests", group, name);
        var output = ReadCase(folder);
        Golden.Verify(folder, ReadOutputJson.Serialize(output));
    }

    /// <summary>Detects the format from content and reads the case input with its context.</summary>
    public static ReadOutput ReadCase(string folder)
    {
        var source = ReadSource.FromPath(Golden.Input(folder));
        var context = CaseContext.Load(folder);
        var detection = new FormatDetector(ReaderRegistry.BuiltIn()).Detect(source);
        var output = new ReadOutput { FormatId = detection.Reader?.FormatId };
        if (detection.Reader is null)
        {
            output.OnDiagnostic(detection.Problem!);
            return output;
        }

        detection.Reader.Read(source, context, output);
        return output;
    }
}

/// <summary>A golden case's optional <c>context.json</c>: <c>{"culture": "de-DE", "defaultUnit": "ng/mL", "dateFormats": [...]}</c>.</summary>
public static class CaseContext
{
    public static ReaderContext Load(string folder)
    {
        var path = Path.Combine(folder, "context.json");
        if (!File.Exists(path))
        {
            return new ReaderContext { InstrumentId = "test", Culture = CultureInfo.GetCultureInfo("en-US") };
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        return new ReaderContext
        {
            InstrumentId = root.TryGetProperty("instrument", out var i) ? i.GetString()! : "test",
            Culture = CultureInfo.GetCultureInfo(root.TryGetProperty("culture", out var c) ? c.GetString()! : "en-US"),
            DefaultUnit = root.TryGetProperty("defaultUnit", out var u) ? u.GetString() : null,
            DateFormats = root.TryGetProperty("dateFormats", out var d) ? d.EnumerateArray().Select(e => e.GetString()!).ToList() : [],
        };
    }
}
