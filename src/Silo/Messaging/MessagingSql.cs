namespace ReturnOps.Silo.Messaging;

/// <summary>
/// The messaging statements that differ between the databases, as data (Orleans' ADO.NET providers keep their SQL per
/// database the same way): one <see cref="MessagingStore"/> runs whichever it is given. The statements both databases share
/// word for word are in <see cref="MessagingRows"/>. Lists of rows are passed as one JSON text parameter, which both
/// databases unpack in SQL, so every statement binds the same parameters on either database.
/// </summary>
/// <param name="Claim">Leases lanes' pending rows: <c>@owner @now @lease @lanes @per_lane</c>, returns <see cref="OutboxRow"/> columns.</param>
/// <param name="Complete">Ends a batch: <c>@messages</c>, a JSON array of <c>{id, status, attempts, error, at}</c>.</param>
/// <param name="Release">Hands claims back: <c>@ids</c> (a JSON array), <c>@owner</c>.</param>
/// <param name="Wake">Makes unclaimed pending rows due now: <c>@ids</c> (a JSON array), <c>@now</c>.</param>
internal sealed partial record MessagingSql(string Claim, string Complete, string Release, string Wake);
