using ReturnOps.Grains.Rules;
using ReturnOps.Runtime;

namespace ReturnOps.Grains.Readmission;

/// <summary>One readmission request, keyed by an id the gateway makes; its clock comes from the agreement.</summary>
public interface IReadmissionRequestGrain : IGrainWithStringKey
{
    /// <summary>Sends the request: reply due after the agreement's reply days; repeating it is harmless.</summary>
    Task<ReadmissionRequestView> Submit(ReadmissionSubmission submission);

    /// <summary>The destination's reply; only its partner may reply, and only while pending.</summary>
    Task<ReadmissionRequestView> Reply(Caller caller, bool accepted, string? reason);

    /// <summary>The destination asks for the agreement's extension, once.</summary>
    Task<ReadmissionRequestView> RequestExtension(Caller caller);

    /// <summary>The request, or null.</summary>
    [ReadOnly]
    Task<ReadmissionRequestView?> Get();
}
