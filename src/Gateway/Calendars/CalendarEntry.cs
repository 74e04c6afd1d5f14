namespace ReturnOps.Gateway.Calendars;

/// <summary>What a calendar entry marks in an operation's or a request's life; written as the event's CATEGORIES.</summary>
public enum CalendarEntryKind
{
    BookingDeadline,
    Departure,
    Return,
    ReadmissionReplyDue,
}

/// <summary>How sure the date is: a cancelled operation's entries stay in the feed as cancelled, so clients remove them.</summary>
public enum CalendarEntryStatus
{
    Tentative,
    Confirmed,
    Cancelled,
}

/// <summary>
/// One event of a feed. <see cref="Uid"/> is stable (the operation's or request's id and the kind), so that a client that reads
/// the feed again updates a moved departure instead of adding a second one. Ids and country codes only: the feed is read without a
/// token and carries no personal data.
/// </summary>
public sealed record CalendarEntry(
    string Uid,
    CalendarEntryKind Kind,
    string Summary,
    DateTimeOffset Start,
    string? Location,
    string Description,
    CalendarEntryStatus Status);
