using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Operations;

/// <summary>
/// Working time of an instrument, counted in its own time zone: the days and hours of its <see cref="SilenceSchedule"/>,
/// across daylight-saving changes. "Silent" means a whole window of working time passed without a file, so a Friday
/// evening file does not make the instrument silent on Monday morning.
/// </summary>
public static class WorkingTime
{
    /// <summary>
    /// The instant at which <see cref="SilenceSchedule.Window"/> of working time has passed after <paramref name="from"/>,
    /// or null when that has not happened by <paramref name="until"/>.
    /// </summary>
    public static DateTimeOffset? WindowElapsedAt(SilenceSchedule schedule, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(zone);
        if (until <= from)
        {
            return null;
        }

        var remaining = schedule.Window;
        foreach (var (start, end) in Shifts(schedule, zone, from, until))
        {
            var a = start > from ? start : from;
            var b = end < until ? end : until;
            if (b <= a)
            {
                continue;
            }

            if (b - a >= remaining)
            {
                return a + remaining;
            }

            remaining -= b - a;
        }

        return null;
    }

    /// <summary>Whether <paramref name="at"/> falls in a shift.</summary>
    public static bool IsWorking(SilenceSchedule schedule, TimeZoneInfo zone, DateTimeOffset at) =>
        Shifts(schedule, zone, at, at.AddTicks(1)).Any(s => s.Start <= at && at < s.End);

    /// <summary>The shifts (UTC start and end) that may overlap [from, until), in order.</summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Shifts(SilenceSchedule schedule, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset until)
    {
        // Start a day early: a shift past midnight that began the day before may cover 'from'.
        var first = TimeZoneInfo.ConvertTime(from, zone).Date.AddDays(-1);
        var last = TimeZoneInfo.ConvertTime(until, zone).Date;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!schedule.Days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var start = day + schedule.From;
            var end = schedule.To > schedule.From ? day + schedule.To : day.AddDays(1) + schedule.To;
            yield return (ToUtc(start, zone), ToUtc(end, zone));
        }
    }

    /// <summary>A local wall-clock time as an instant; a time skipped by a daylight-saving change becomes the first valid one after it.</summary>
    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
