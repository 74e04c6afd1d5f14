namespace ReturnOps.Storage;

/// <summary>
/// A message a turn produces, stored in the same transaction as the grain's state and delivered
/// only after that transaction commits.
/// </summary>
/// <param name="MessageId">Unique id receivers de-duplicate by.</param>
/// <param name="Destination">Who receives it: a country system, a grain, a feed.</param>
/// <param name="Lane">Messages of one (destination, lane) are delivered in order, e.g. one operation.</param>
/// <param name="Type">The event type, e.g. <c>booking.confirmed</c>.</param>
/// <param name="Payload">The message body as JSON.</param>
/// <param name="OccurredAt">When the change happened.</param>
public sealed record OutboxMessage(
    string MessageId,
    string Destination,
    string Lane,
    string Type,
    string Payload,
    DateTimeOffset OccurredAt);
