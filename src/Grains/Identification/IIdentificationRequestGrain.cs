using Orleans.Concurrency;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Identification;

/// <summary>One identification request (rule 17), keyed by an id the gateway makes; its clocks come from the agreement or arrangement.</summary>
[Alias("ReturnOps.IIdentificationRequestGrain")]
public interface IIdentificationRequestGrain : IGrainWithStringKey
{
    /// <summary>Sends the request for a returnee without a valid document; repeating it is harmless.</summary>
    [Alias("Submit")]
    Task<IdentificationRequestView> Submit(IdentificationSubmission submission);

    /// <summary>The destination confirms identity and nationality; the document is due after the issue days.</summary>
    [Alias("Confirm")]
    Task<IdentificationRequestView> Confirm(Caller caller);

    /// <summary>The destination refuses identity or nationality, with a coded reason and a text.</summary>
    [Alias("Refuse")]
    Task<IdentificationRequestView> Refuse(Caller caller, IdentificationRefusal reason, string text);

    /// <summary>The destination issues or accepts a travel document; it is recorded on the case (rule 6).</summary>
    [Alias("IssueDocument")]
    Task<IdentificationRequestView> IssueDocument(Caller caller, TravelDocumentKind kind, string number, DateOnly validFrom, DateOnly validUntil);

    /// <summary>The owning state asks for a new document because the transfer slipped.</summary>
    [Alias("RequestReissue")]
    Task<IdentificationRequestView> RequestReissue(Caller caller);

    /// <summary>
    /// The case was erased (rule 15): the document's number and dates and the refusal's text go; ids, status, codes and times
    /// stay as counts. The request takes no further step.
    /// </summary>
    [Alias("Erase")]
    Task Erase();

    /// <summary>The request, or null.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<IdentificationRequestView?> Get();
}
