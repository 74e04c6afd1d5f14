using System.Threading.RateLimiting;

namespace ReturnOps.Gateway.Complaints;

/// <summary>
/// Settings of the public complaint form (configuration section <c>Complaints</c>). The form takes no account and no CAPTCHA
/// service (the machines reach no third party), so abuse is bounded by the numbers here: complaints per address, complaints for
/// everyone together (a spread-out flood cannot fill the officer's list faster than this), and the size of each.
/// </summary>
public sealed class ComplaintLimits
{
    public const string Section = "Complaints";

    /// <summary>The longest account of what happened: about two pages of text.</summary>
    public const int MaxDescription = 8000;

    /// <summary>
    /// The form's largest body: the longest account in any script, each character sent as a six-byte <c>\uXXXX</c> escape (as
    /// System.Text.Json writes Arabic by default), and the other fields; below the gateway's 64 kB.
    /// </summary>
    public const long MaxBodyBytes = 56 * 1024;

    /// <summary>Complaints one client address may send per window.</summary>
    public int PermitsPerAddress { get; set; } = 5;

    /// <summary>Complaints all addresses together may send per window.</summary>
    public int GlobalPermits { get; set; } = 200;

    public int WindowSeconds { get; set; } = 3600;

    /// <summary>Days a closed complaint keeps its personal data (the account, the contact, the answer); its status and dates stay.</summary>
    public int RetentionDays { get; set; } = 365;

    /// <summary>
    /// The form's two limits, chained after the gateway's own per-caller one: only a request to an endpoint marked
    /// <see cref="PublicComplaintFormAttribute"/> spends them.
    /// </summary>
    public PartitionedRateLimiter<HttpContext> Limiter() => PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsForm(context)
            ? RateLimitPartition.GetFixedWindowLimiter("complaint-ip:" + context.Connection.RemoteIpAddress, _ => Window(PermitsPerAddress))
            : RateLimitPartition.GetNoLimiter("")),
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsForm(context)
            ? RateLimitPartition.GetFixedWindowLimiter("complaint-all", _ => Window(GlobalPermits))
            : RateLimitPartition.GetNoLimiter("")));

    private FixedWindowRateLimiterOptions Window(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromSeconds(WindowSeconds), QueueLimit = 0 };

    private static bool IsForm(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<PublicComplaintFormAttribute>() is not null;
}

/// <summary>Marks the public form's endpoint for <see cref="ComplaintLimits.Limiter"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PublicComplaintFormAttribute : Attribute;
