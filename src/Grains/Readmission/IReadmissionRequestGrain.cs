using Orleans.Concurrency;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Readmission;

/// <summary>One readmission request, keyed by an id the gateway makes; its clock comes from the agreement.</summary>
[Alias("ReturnOps.IReadmissionRequestGrain")]
public interface IReadmissionRequestGrain : IGrainWithStringKey
{
    /// <summary>Sends the request: reply due after the agreement's reply days; repeating it is harmless.</summary>
    [Alias("Submit")]
    Task<ReadmissionRequestView> Submit(ReadmissionSubmission submission);

    /// <summary>The destination's reply; only its partner may reply, and only while pending.</summary>
    [Alias("Reply")]
    Task<ReadmissionRequestView> Reply(Caller caller, bool accepted, string? reason);

    /// <summary>The destination asks for the agreement's extension, once.</summary>
    [Alias("RequestExtension")]
    Task<ReadmissionRequestView> RequestExtension(Caller caller);

    /// <summary>The request, or null.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<ReadmissionRequestView?> Get();
}
