using ReturnOps.TestSupport;

namespace ReturnOps.BookingRush;

/// <summary>
/// Where ReturnOps runs for a scenario: its gateways' addresses (clients are spread over them), and the grains when the
/// bench shares the silo's process. Tokens are signed with <see cref="SigningKey"/>, which every host is given.
/// </summary>
public interface IReturnOpsHost : IAsyncDisposable
{
    public const string SigningKey = "booking-rush-signing-key-of-at-least-32-bytes";

    /// <summary>"one silo" or "two silos".</summary>
    string Topology { get; }

    IReadOnlyList<Uri> Gateways { get; }

    /// <summary>The co-hosted silo's grains; null when the silos are processes of their own.</summary>
    IGrainFactory? Grains { get; }

    /// <summary>Called once the set-up is written, before the rush: a co-hosted gateway restarts so that the rush meets cold grains.</summary>
    Task BeforeRushAsync();

    public static string Coordinator(string country) =>
        TestTokens.Issue(SigningKey, "coordinator", country, "coordinator-" + country.ToLowerInvariant());
}
