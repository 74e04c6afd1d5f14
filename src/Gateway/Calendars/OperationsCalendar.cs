using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace ReturnOps.Gateway.Calendars;

/// <summary>
/// Writes a feed as iCalendar (RFC 5545) with Ical.Net: one VEVENT per entry, every time in UTC (<c>…Z</c>), the airport's zone
/// named in the location and description rather than as a TZID, so that no client has to resolve a VTIMEZONE to place a departure.
/// </summary>
public static class OperationsCalendar
{
    public const string ContentType = "text/calendar";
    public const string ProductId = "-//ReturnOps//Return operations calendar//EN";

    public static string Write(string name, IEnumerable<CalendarEntry> entries, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        // Calendar clients poll a subscription at their own pace; this asks for hourly, as deadlines and departures move.
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        foreach (var entry in entries)
        {
            var calendarEvent = new CalendarEvent
            {
                Uid = entry.Uid,
                DtStamp = Utc(now),
                Start = Utc(entry.Start),
                Summary = entry.Summary,
                Description = entry.Description,
                Location = entry.Location,
                Status = entry.Status switch
                {
                    CalendarEntryStatus.Cancelled => EventStatus.Cancelled,
                    CalendarEntryStatus.Confirmed => EventStatus.Confirmed,
                    _ => EventStatus.Tentative,
                },
                Transparency = TransparencyType.Transparent,
            };
            calendarEvent.Categories.Add(entry.Kind.ToString());
            calendar.Events.Add(calendarEvent);
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalDateTime Utc(DateTimeOffset at) => new(at.UtcDateTime);
}
