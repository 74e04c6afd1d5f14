namespace ReturnOps.Gateway.PassengerLists;

/// <summary>
/// What a PAXLST message of one flight leg says: who sends it to whom, the flight and its airports, and the travellers.
/// Codes are as the message carries them: IATA airports and airline designators, ICAO 9303 three-letter state codes.
/// </summary>
/// <param name="Sender">The interchange sender identification (UNB, UNG).</param>
/// <param name="Recipient">The interchange recipient identification: the border authority of the arrival state.</param>
/// <param name="ReportingParty">NAD+MS: who answers for the list.</param>
/// <param name="DepartureLocal">DTM+189: the scheduled departure in the departure airport's local time, as the guidelines ask.</param>
public sealed record PassengerList(
    string Sender,
    string Recipient,
    string ReportingParty,
    FlightDesignator Flight,
    string DepartureAirport,
    DateTime DepartureLocal,
    string ArrivalAirport,
    IReadOnlyList<Traveller> Travellers);

/// <summary>An IATA flight designator: the airline's two-character code and the flight number (<c>OS1234</c>, <c>4U123A</c>).</summary>
public sealed record FlightDesignator(string Airline, string Number)
{
    public override string ToString() => Airline + Number;
}

/// <summary>
/// One person on board (NAD+FL). Null parts are not held by the platform and are left out of the message, never guessed.
/// </summary>
/// <param name="Surname">The traveller's name as the platform may hold it (see docs/api.md: a reference, not a name).</param>
/// <param name="Sex">ATT+2: M, F or U (unspecified).</param>
/// <param name="BirthYear">DTM+329: the platform holds the year only.</param>
public sealed record Traveller(
    string Surname,
    string? Sex,
    int? BirthYear,
    string? Nationality,
    string Embarkation,
    string Debarkation,
    TravellerDocument? Document);

/// <summary>DOC, DTM+36, LOC+91: the travel document the traveller crosses the border with.</summary>
/// <param name="Type">ICAO 9303 document type code (P).</param>
public sealed record TravellerDocument(string Type, string Number, DateOnly Expiry, string IssuingState);
