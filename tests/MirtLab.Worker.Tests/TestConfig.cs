using System.Text.Json.Nodes;
using MirtLab.Testing;
using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Tests;

/// <summary>
/// A private copy of the shipped configuration in a temp folder (config/ and data/ beside each other, as in
/// the repository), with settings changed for one test.
/// </summary>
public sealed class TestConfig : IDisposable
{
    private readonly TempFolder _folder = new("mirtlab-config");

    public TestConfig(Action<JsonObject>? change = null)
    {
        Directory.CreateDirectory(ConfigFolder);
        File.Copy(Path.Combine(RepoPaths.Config, "rules.json"), Path.Combine(ConfigFolder, "rules.json"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Config, "appsettings.json")), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        json["Ingest"]!["StabilitySeconds"] = 0.3;
        json["Ingest"]!["ScanIntervalSeconds"] = 0.2;
        json["Web"]!["Urls"] = "http://127.0.0.1:0";
        json["Mqtt"]!["Enabled"] = false;
        change?.Invoke(json);
        File.WriteAllText(ConfigFile, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public string ConfigFolder => _folder.Combine("config");

    public string ConfigFile => Path.Combine(ConfigFolder, "appsettings.json");

    public string DataRoot => _folder.Combine("data");

    public string Inbox(string instrument = "tq5500") => Path.Combine(DataRoot, "inbox", instrument);

    public string Work(string instrument = "tq5500") => Path.Combine(DataRoot, "work", instrument);

    public string Quarantine(string instrument = "tq5500") => Path.Combine(DataRoot, "quarantine", instrument);

    public string ArchiveRoot => Path.Combine(DataRoot, "archive");

    public string LisDatabase => Path.Combine(DataRoot, "lis.db");

    public MirtLabSettings Load()
    {
        var result = SettingsLoader.Load(ConfigFile);
        return result.Settings ?? throw new InvalidOperationException(string.Join("\n", result.Errors));
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>Fixture files shared by the test projects.</summary>
public static class Fixtures
{
    /// <summary>Rows the plate export yields: 58 read (calibrators, QCs, blanks, 12 patients × 2 analytes) and 13 derived (9 metabolic ratios, 4 concentration/dose ratios).</summary>
    public const int PlateRows = 71;

    /// <summary>Patient results the LIS and MQTT receive from the plate: 24 measured, 13 derived.</summary>
    public const int PlatePatientResults = 37;

    public static string MirtazapinePlate => Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "sciex-analyst", "mirtazapine-plate", "input.txt");

    /// <summary>Polls until <paramref name="condition"/> holds, or fails saying what it waited for.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
