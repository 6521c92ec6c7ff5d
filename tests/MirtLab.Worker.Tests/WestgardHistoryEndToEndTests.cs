using System.Globalization;
using MirtLab.Readers.Text;

namespace MirtLab.Worker.Tests;

/// <summary>
/// Westgard through the service: targets are established from the QC history of earlier accepted runs in the store,
/// and a later run whose QC lies far outside them is rejected although each QC is within ±15% of nominal.
/// </summary>
public sealed class WestgardHistoryEndToEndTests
{
    [Fact]
    public async Task QcFarOutsideTheEstablishedTargets_RejectsTheRun_By13s()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        var plate = File.ReadAllText(Fixtures.MirtazapinePlate, TextDecoder.Windows1252);

        // Ten accepted runs on ten days give 20 observations per QC level: enough to establish the targets.
        for (var day = 1; day <= 10; day++)
        {
            await DropAndWaitAsync(config, host, $"day{day:00}.txt", OnDay(plate, day), expectedRuns: day);
        }

        // Day 11: LQC 1 reads 3.40 ng/mL (113% of nominal, within ±15%), five SDs above the 2.93/3.08 history.
        var lines = OnDay(plate, 11).Split("\r\n");
        var lqc = Array.FindIndex(lines, l => l.StartsWith("LQC 1\t", StringComparison.Ordinal) && l.Contains("\tMirtazapine\t", StringComparison.Ordinal));
        lines[lqc] = lines[lqc].Replace("\t2.93\t", "\t3.40\t", StringComparison.Ordinal);
        await DropAndWaitAsync(config, host, "day11.txt", string.Join("\r\n", lines), expectedRuns: 11);

        var runs = await host.Store.ListRunsAsync(null, null);
        var day11 = runs.Single(r => r.Source == "day11.txt");
        Assert.Equal("rejected", day11.Outcome);
        var detail = (await host.Store.GetRunForReviewAsync(day11.RunKey))!;
        var mirtazapine = detail.Run.Analytes.Single(a => a.Analyte == "mirtazapine");
        var violation = Assert.Single(mirtazapine.Checks, c => c.Id == "westgard.1-3s");
        Assert.Equal(Core.Runs.CheckOutcome.Fail, violation.Outcome);
        Assert.Contains("LQC 1", violation.Message, StringComparison.Ordinal);
        Assert.Contains(mirtazapine.Checks, c => c.Id == "qc.overall" && c.Outcome == Core.Runs.CheckOutcome.Pass);
        Assert.Equal("accepted", runs.Single(r => r.Source == "day10.txt").Outcome);
    }

    private static string OnDay(string plate, int day) =>
        plate.Replace("21-Nov-2026", day.ToString("00", CultureInfo.InvariantCulture) + "-Nov-2026", StringComparison.Ordinal);

    private static async Task DropAndWaitAsync(TestConfig config, RunningHost host, string name, string content, int expectedRuns)
    {
        File.WriteAllText(Path.Combine(config.Inbox(), name), content, TextDecoder.Windows1252);
        await Fixtures.WaitUntilAsync(() => host.Store.ListRunsAsync(null, null).GetAwaiter().GetResult().Count == expectedRuns, $"{name} recorded");
    }
}
