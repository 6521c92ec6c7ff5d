using MirtLab.Testing;

namespace MirtLab.Worker.Tests.Operations;

/// <summary>Drop folders outside the data root: a mounted share on Linux, a UNC path on Windows.</summary>
public sealed class DropFolderPathTests
{
    [Fact]
    public async Task InboxOnAnotherVolumeOrMount_IsUsedAsItIs_AndItsFilesAreClaimedByTheScan()
    {
        using var share = new TempFolder("mirtlab-share");
        using var config = new TestConfig(j => j["Instruments"]![0]!["Inbox"] = share.Path);
        Assert.Equal(share.Path, config.Load().Instruments[0].Inbox);
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(share.Path, "plate.txt"));
        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "delivered from the outside inbox");
        Assert.Empty(Directory.EnumerateFileSystemEntries(share.Path));
    }

    [Fact]
    public void UncInbox_IsAnAbsolutePath_NotPlacedUnderTheDataRoot()
    {
        Assert.SkipUnless(OperatingSystem.IsWindows(), "UNC paths are a Windows notion; this runs on Windows only");
        using var config = new TestConfig(j => j["Instruments"]![0]!["Inbox"] = @"\\acq-pc-01\export\tq5500");
        Assert.Equal(@"\\acq-pc-01\export\tq5500", config.Load().Instruments[0].Inbox);
    }
}
