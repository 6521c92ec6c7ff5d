using Dapper;
using MirtLab.Readers.Text;

namespace MirtLab.Worker.Tests;

/// <summary>The delta check through the service: a patient's new level is compared with the level released before.</summary>
public sealed class DeltaCheckEndToEndTests
{
    [Fact]
    public async Task LevelThatDoubledSinceTheLastReleasedResult_IsFlaggedUpAndHeld()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "week1.txt"));
        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "week 1 delivered");

        // A week later the same patient's trough level is 95.0 instead of 46.3 ng/mL.
        var lines = File.ReadAllText(Fixtures.MirtazapinePlate, TextDecoder.Windows1252).Split("\r\n");
        var patientLine = Array.FindIndex(lines, l => l.StartsWith("P-240117 trough\t", StringComparison.Ordinal) && l.Contains("\tMirtazapine\t", StringComparison.Ordinal));
        lines[patientLine] = lines[patientLine].Replace("\t46.3\t", "\t95.0\t", StringComparison.Ordinal);
        var week2 = string.Join("\r\n", lines).Replace("21-Nov-2026", "28-Nov-2026", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(config.Inbox(), "week2.txt"), week2, TextDecoder.Windows1252);
        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == 2 * Fixtures.PlatePatientResults, "week 2 delivered");

        await using var lis = IngestLifecycleTests.OpenLis(config);
        var week2Row = await lis.QuerySingleAsync<(string Flags, string Status, string Reasons)>(
            "SELECT flags, status, hold_reasons FROM mirtlab_results WHERE sample_name = 'P-240117 trough' AND analyte_code = 'mirtazapine' AND instrument_time_local LIKE '2026-11-28%'");
        Assert.Equal("H~U", week2Row.Flags);
        Assert.Equal("P", week2Row.Status);
        Assert.Contains("previous result 46.3 ng/mL", week2Row.Reasons, StringComparison.Ordinal);

        // Unchanged patients are not flagged.
        var unchanged = await lis.QuerySingleAsync<string>(
            "SELECT flags FROM mirtlab_results WHERE sample_name = 'P-240119 trough' AND analyte_code = 'mirtazapine' AND instrument_time_local LIKE '2026-11-28%'");
        Assert.Equal(string.Empty, unchanged);
    }
}
