using System.ComponentModel.DataAnnotations;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.Gateway.Complaints;

/// <summary>Who complains (Reg. 2019/1896 Art 111(2): the person concerned, someone acting for them, or anyone who saw it).</summary>
public enum Complainant
{
    Person,
    Representative,
    Witness,
}

/// <summary>Where a complaint stands; the only thing its tracking code shows.</summary>
public enum ComplaintStatus
{
    Received,
    Answered,
    Forwarded,
    Closed,
}

/// <summary>The public form, sent without an account. Nothing in it is ever read as markup or followed as a link.</summary>
public sealed record ComplaintSubmission(
    Complainant Complainant,
    [property: Required, MaxLength(ComplaintLimits.MaxDescription)] string WhatHappened,
    DateOnly HappenedOn,
    [property: MaxLength(RequestLimits.MaxIdLength)] string? OperationId,
    [property: MaxLength(RequestLimits.MaxName)] string? Contact,
    [property: Required, MaxLength(ComplaintLanguages.MaxCodeLength)] string Language);

/// <summary>The answer to the form: the tracking code, shown this once (only its hash is kept).</summary>
public sealed record ComplaintReceipt(string TrackingCode, ComplaintStatus Status);

/// <summary>What a tracking code shows: the status, nothing more.</summary>
public sealed record ComplaintTracking(ComplaintStatus Status);

/// <summary>A complaint as the fundamental-rights officer sees it; the personal fields are null once erased.</summary>
public sealed record ComplaintView(
    string Id,
    ComplaintStatus Status,
    DateTimeOffset ReceivedAt,
    Complainant Complainant,
    string Language,
    DateOnly HappenedOn,
    string? OperationId,
    string? WhatHappened,
    string? Contact,
    string? Answer,
    string? ForwardedTo,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? ErasedAt);

/// <summary>The officer's answer to the complainant (sent through the contact given; the tracking code shows only the status).</summary>
public sealed record ComplaintAnswer([property: Required, MaxLength(RequestLimits.MaxText)] string Text);

/// <summary>Forwarding to the member state concerned (Art 111(6): the home member state follows up a complaint about its staff).</summary>
public sealed record ComplaintForward([property: Required, MaxLength(2)] string Country);

/// <summary>Closing, with the officer's reason.</summary>
public sealed record ComplaintClosing([property: Required, MaxLength(RequestLimits.MaxName)] string Reason);
