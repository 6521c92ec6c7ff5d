using MirtLab.Readers.Delimited;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests.Delimited;

/// <summary>
/// Golden cases for configured delimited exports: <c>Delimited/Golden/&lt;case&gt;/</c> holds an <c>input*</c>, the
/// mapping (<c>mapping.json</c>, or <c>mapping.path</c> naming a mapping file in the repository), an optional
/// <c>context.json</c> and <c>expected.json</c>. They live apart from <c>Golden/</c> because the shared golden
/// theory detects with the built-in readers only.
/// </summary>
public sealed class DelimitedGoldenTests
{
    private static string Root => Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Delimited", "Golden");

    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.EnumerateDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(folder!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void DelimitedMappingReader_GoldenCase_ProducesExpectedOutput(string name)
    {
        var folder = Path.Combine(Root, name);
        var mapping = LoadCaseMapping(folder);
        var source = ReadSource.FromPath(Golden.Input(folder));
        var detection = new FormatDetector(ReaderRegistry.Create([mapping])).Detect(source);
        var output = new ReadOutput { FormatId = detection.Reader?.FormatId };
        if (detection.Reader is null)
        {
            output.OnDiagnostic(detection.Problem!);
        }
        else
        {
            detection.Reader.Read(source, CaseContext.Load(folder), output);
        }

        Golden.Verify(folder, ReadOutputJson.Serialize(output));
    }

    /// <summary>The case's mapping, loaded and validated as the service would load it.</summary>
    public static DelimitedMapping LoadCaseMapping(string folder)
    {
        var pointer = Path.Combine(folder, "mapping.path");
        var path = File.Exists(pointer)
            ? Path.Combine(RepoPaths.Root, File.ReadAllText(pointer).Trim())
            : Path.Combine(folder, "mapping.json");
        var result = DelimitedMappingLoader.Load(File.ReadAllBytes(path), Path.GetFileName(path));
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Mapping!;
    }
}
