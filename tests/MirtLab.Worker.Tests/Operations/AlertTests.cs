using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Operations;
using MirtLab.Worker.Store;
using MirtLab.Worker.Tests.Qa;

namespace MirtLab.Worker.Tests.Operations;

/// <summary>Working time in the instrument's zone, and the alerts decided from the store with a fake clock.</summary>
public sealed class AlertTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly SilenceSchedule Weekdays = new(TimeSpan.FromHours(4), new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }, TimeSpan.FromHours(7), TimeSpan.FromHours(19));

    [Fact]
    public void FridayEveningFile_DoesNotMakeTheInstrumentSilent_UntilFourWorkingHoursIntoMonday()
    {
        var friday = Local(2026, 11, 20, 18, 0);
        Assert.Null(WorkingTime.WindowElapsedAt(Weekdays, Berlin, friday, Local(2026, 11, 23, 9, 59)));
        Assert.Equal(Local(2026, 11, 23, 10, 0), WorkingTime.WindowElapsedAt(Weekdays, Berlin, friday, Local(2026, 11, 23, 12, 0)));
    }

    [Fact]
    public void WorkingTime_CountsWallClockHours_AcrossTheSpringDaylightSavingChange()
    {
        // Berlin moves to CEST on Sunday 2026-03-29: Friday 18:00 is UTC+1, Monday 10:00 is UTC+2.
        var silent = WorkingTime.WindowElapsedAt(Weekdays, Berlin, Local(2026, 3, 27, 18, 0), Local(2026, 3, 30, 12, 0));
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero), silent);
    }

    [Fact]
    public void NightShift_RunsPastMidnight_IntoTheNextDay()
    {
        var night = new SilenceSchedule(TimeSpan.FromHours(3), new HashSet<DayOfWeek> { DayOfWeek.Monday }, TimeSpan.FromHours(22), TimeSpan.FromHours(6));
        Assert.Equal(Local(2026, 11, 24, 1, 0), WorkingTime.WindowElapsedAt(night, Berlin, Local(2026, 11, 23, 21, 0), Local(2026, 11, 24, 5, 0)));
        Assert.True(WorkingTime.IsWorking(night, Berlin, Local(2026, 11, 24, 3, 0)));
        Assert.False(WorkingTime.IsWorking(night, Berlin, Local(2026, 11, 24, 7, 0)));
    }

    [Fact]
    public async Task Silence_IsRaisedInWorkingTime_ClearedByAFile_AndAQuarantineIsAnAlertOfItsOwn()
    {
        using var config = new TestConfig(j => j["Instruments"]![0]!["Silence"] = new JsonObject { ["WindowMinutes"] = 240, ["Hours"] = "07:00-19:00" });
        var settings = config.Load();
        var time = new FakeTime(Local(2026, 11, 23, 6, 0));
        var store = new MirtLabStore(settings.StorePath, time);
        await store.InitializeAsync();
        var (monitor, logger, raised) = Monitor(settings, store, time, _ => new DiskStatus("/data", 500L << 30, 1000L << 30));

        time.Now = Local(2026, 11, 23, 9, 0);
        Assert.Empty((await monitor.EvaluateOnceAsync()).Alerts);

        time.Now = Local(2026, 11, 23, 11, 30);
        var silent = Assert.Single((await monitor.EvaluateOnceAsync()).Alerts);
        Assert.Equal((AlertKinds.InstrumentSilent, "tq5500", Local(2026, 11, 23, 11, 0)), (silent.Kind, silent.Subject, silent.SinceUtc));
        Assert.Contains("no file was ever seen", silent.Message, StringComparison.Ordinal);
        var set = Assert.Single(logger.Events, e => e.Id.Id == 9001);
        Assert.Contains("ALERT instrument-silent tq5500 set", set.Message, StringComparison.Ordinal);
        Assert.Equal(1, raised.Value(AlertKinds.InstrumentSilent));

        await store.RecordRejectedAsync(new InputReceipt(new string('a', 64), "bad.txt", "tq5500", false, 3, "/w/bad.txt", "/q/bad.txt", time.GetUtcNow()), null,
            [new Core.Diagnostics.Diagnostic("ML1001", Core.Diagnostics.DiagnosticSeverity.Error, "no reader recognises this file", Line: 1)]);
        time.Advance(TimeSpan.FromMinutes(1));
        var afterFile = await monitor.EvaluateOnceAsync();
        var quarantine = Assert.Single(afterFile.Alerts);
        Assert.Equal((AlertKinds.Quarantine, "tq5500"), (quarantine.Kind, quarantine.Subject));
        Assert.Contains("bad.txt: ML1001", quarantine.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Events, e => e.Id.Id == 9002 && e.Message.StartsWith("Alert instrument-silent tq5500 cleared", StringComparison.Ordinal));

        // 24 h later the quarantine is old news, and a whole working day without a file made the instrument silent again.
        time.Advance(TimeSpan.FromHours(24));
        var nextDay = await monitor.EvaluateOnceAsync();
        Assert.Equal([AlertKinds.InstrumentSilent], nextDay.Alerts.Select(a => a.Kind));
        Assert.Equal(Local(2026, 11, 23, 15, 30), nextDay.Alerts[0].SinceUtc);
        Assert.Contains(logger.Events, e => e.Id.Id == 9002 && e.Message.StartsWith("Alert quarantine tq5500 cleared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OldBacklog_AndAFullDisk_AreAlerts()
    {
        using var config = new TestConfig(j =>
        {
            j["Alerts"] = new JsonObject { ["BacklogMaxAgeMinutes"] = 30, ["DiskMinFreePercent"] = 10, ["DiskMinFreeMegabytes"] = 1024 };
            j["Instruments"]![0]!.AsObject().Remove("Silence");
        });
        var settings = config.Load();
        var time = new FakeTime(Local(2026, 11, 23, 10, 0));
        var store = new MirtLabStore(settings.StorePath, time);
        await store.InitializeAsync();
        await QaTestData.RecordAsync(store, settings, Fixtures.MirtazapinePlate, ["lis"]);
        var free = 500L << 30;
        var (monitor, _, _) = Monitor(settings, store, time, _ => new DiskStatus("/data", free, 1000L << 30));

        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty((await monitor.EvaluateOnceAsync()).Alerts);
        time.Advance(TimeSpan.FromMinutes(2));
        var backlog = Assert.Single((await monitor.EvaluateOnceAsync()).Alerts);
        Assert.Equal((AlertKinds.Backlog, "lis", Local(2026, 11, 23, 10, 30)), (backlog.Kind, backlog.Subject, backlog.SinceUtc));
        Assert.Contains("1 batch(es) wait for lis, the oldest for 31 min", backlog.Message, StringComparison.Ordinal);

        free = 900L << 20;
        var report = await monitor.EvaluateOnceAsync();
        Assert.Contains(report.Alerts, a => a.Kind == AlertKinds.DiskSpace && a.Subject == "data" && a.Severity == "error");
        Assert.Equal(2, monitor.Active.Count);
    }

    internal static DateTimeOffset Local(int year, int month, int day, int hour, int minute)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local)).ToUniversalTime();
    }

    private static (OperationsMonitor Monitor, ListLogger<OperationsMonitor> Logger, RaisedCounter Raised) Monitor(MirtLabSettings settings, MirtLabStore store, FakeTime time, Func<string, DiskStatus?> disk)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var state = new OperationsState();
        var metrics = new MirtLabMetrics(meters, state);
        var logger = new ListLogger<OperationsMonitor>();
        var monitor = new OperationsMonitor(settings, new StatusBuilder(settings, store, time, disk), state, metrics, time, logger);
        return (monitor, logger, new RaisedCounter(metrics.Meter));
    }

    /// <summary>Reads mirtlab.alerts.raised by kind.</summary>
    private sealed class RaisedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public RaisedCounter(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "mirtlab.alerts.raised")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var kind = (string)tags.ToArray().Single(t => t.Key == "kind").Value!;
                _counts[kind] = _counts.GetValueOrDefault(kind) + value;
            });
            _listener.Start();
        }

        public long Value(string kind) => _counts.GetValueOrDefault(kind);

        public void Dispose() => _listener.Dispose();
    }
}
