using System.Text;

namespace MirtLab.Testing;

/// <summary>
/// Golden files: a test's actual output is compared with <c>expected.json</c> beside its input. On a
/// mismatch the actual output is written to <c>expected.received.json</c> (git-ignored) so the two can be
/// compared; setting <c>MIRTLAB_TEST_ACCEPT_GOLDEN=1</c> accepts it as the new expectation.
/// </summary>
public static class Golden
{
    public static bool Accepting => Environment.GetEnvironmentVariable("MIRTLAB_TEST_ACCEPT_GOLDEN") == "1";

    /// <summary>Golden case folders under <c>tests/{project}/Golden/{group}</c>: each holds one <c>input*</c>.</summary>
    public static IEnumerable<string> Cases(string project, string group)
    {
        var root = Path.Combine(RepoPaths.Root, "tests", project, "Golden", group);
        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Select(d => Path.GetRelativePath(root, d)).OrderBy(d => d, StringComparer.Ordinal)
            : [];
    }

    public static string CaseFolder(string project, string group, string name) =>
        Path.Combine(RepoPaths.Root, "tests", project, "Golden", group, name);

    /// <summary>The case's input: the one file or folder named <c>input*</c>.</summary>
    public static string Input(string caseFolder)
    {
        var inputs = Directory.EnumerateFileSystemEntries(caseFolder, "input*").ToList();
        return inputs.Count == 1
            ? inputs[0]
            : throw new InvalidOperationException($"{caseFolder} must hold exactly one input* file or folder, not {inputs.Count}");
    }

    public static void Verify(string caseFolder, string actual, string fileName = "expected.json")
    {
        var expectedPath = Path.Combine(caseFolder, fileName);
        var receivedPath = Path.Combine(caseFolder, Path.GetFileNameWithoutExtension(fileName) + ".received" + Path.GetExtension(fileName));
        var normalisedActual = Normalise(actual);
        if (Accepting)
        {
            File.WriteAllText(expectedPath, normalisedActual, new UTF8Encoding(false));
            DeleteIfExists(receivedPath);
            return;
        }

        if (!File.Exists(expectedPath))
        {
            File.WriteAllText(receivedPath, normalisedActual, new UTF8Encoding(false));
            throw new Xunit.Sdk.XunitException($"No {fileName} in {caseFolder}. The actual output is in {receivedPath}; review it and rename it, or run with MIRTLAB_TEST_ACCEPT_GOLDEN=1.");
        }

        var expected = Normalise(File.ReadAllText(expectedPath));
        if (expected == normalisedActual)
        {
            DeleteIfExists(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalisedActual, new UTF8Encoding(false));
        var expectedLines = expected.Split('\n');
        var actualLines = normalisedActual.Split('\n');
        var first = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
            .First(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
        throw new Xunit.Sdk.XunitException(
            $"{fileName} differs at line {first + 1}:\n  expected: {Line(expectedLines, first)}\n  actual:   {Line(actualLines, first)}\n" +
            $"Compare {expectedPath} with {receivedPath}; accept with MIRTLAB_TEST_ACCEPT_GOLDEN=1 if the change is intended.");
    }

    private static string Line(string[] lines, int i) => i < lines.Length ? lines[i].Trim() : "(end of file)";

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
#pragma warning disable RS0030 // A test's own received file, not an instrument input.
            File.Delete(path);
#pragma warning restore RS0030
        }
    }
}
