namespace ReturnOps.Storage;

/// <summary>
/// A change to a read-model row, written in the same transaction as the grain's state so that lists
/// and statistics never disagree with the grains they summarise.
/// </summary>
public abstract record ReadModelWrite(string Table, string Id);

/// <summary>Inserts or replaces the row <paramref name="Id"/> of <paramref name="Table"/>.</summary>
/// <param name="Columns">Column values; names are identifiers chosen by code, never by input.</param>
public sealed record ReadModelUpsert(string Table, string Id, IReadOnlyDictionary<string, object?> Columns)
    : ReadModelWrite(Table, Id);

/// <summary>Deletes the row <paramref name="Id"/> of <paramref name="Table"/>.</summary>
public sealed record ReadModelDelete(string Table, string Id) : ReadModelWrite(Table, Id);

/// <summary>
/// Inserts the row <paramref name="Id"/> of <paramref name="Table"/>, which must not exist: a row already there fails the whole
/// write. A unique backstop (a returnee held by one booking at most), never an upsert.
/// </summary>
public sealed record ReadModelInsert(string Table, string Id, IReadOnlyDictionary<string, object?> Columns)
    : ReadModelWrite(Table, Id);

/// <summary>
/// Sets text columns of the existing row <paramref name="Id"/> of <paramref name="Table"/>; a row that is not there stays absent.
/// For a grain that keeps a few columns of another grain's row current (an operation marking the returnees it holds as booked).
/// </summary>
public sealed record ReadModelUpdate(string Table, string Id, IReadOnlyDictionary<string, string> Columns)
    : ReadModelWrite(Table, Id);
