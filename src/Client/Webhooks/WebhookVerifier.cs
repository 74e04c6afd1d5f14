using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReturnOps.Client.Webhooks;

/// <summary>
/// Checks a delivery as docs/messaging.md specifies it ("Verifying a delivery"): <c>X-ReturnOps-Signature</c> is <c>sha256=</c>
/// and the lowercase hex HMAC-SHA256 of <c>timestamp + "." + body</c> under the subscription secret, and
/// <c>X-ReturnOps-Timestamp</c> (Unix seconds of this attempt) is within <see cref="Tolerance"/> of the receiver's clock.
/// Written from that page, not from the sender's code. Several secrets may be given: the platform signs with one secret, so
/// a receiver accepts the old and the new one for a few minutes around a rotation.
/// </summary>
public sealed class WebhookVerifier(params IReadOnlyList<string> secrets)
{
    public const string MessageIdHeader = "X-ReturnOps-Message-Id";
    public const string TimestampHeader = "X-ReturnOps-Timestamp";
    public const string SignatureHeader = "X-ReturnOps-Signature";

    private readonly byte[][] _keys = [.. secrets.Select(Encoding.UTF8.GetBytes)];

    /// <summary>How far a timestamp may be from the receiver's clock (docs/messaging.md: 5 minutes).</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Checks the raw body bytes as received, before any JSON parsing.</summary>
    public WebhookCheck Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (timestamp is null || signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookCheck.MissingHeaders;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return WebhookCheck.StaleTimestamp;
        }
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp + ".", signed);
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        var given = Encoding.ASCII.GetBytes(signature);
        var valid = false;
        foreach (var key in _keys)
        {
            var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, signed)));
            // Constant time, and every secret tried: neither the comparison nor the count tells how close a forgery came.
            valid |= CryptographicOperations.FixedTimeEquals(expected, given);
        }
        return valid ? WebhookCheck.Valid : WebhookCheck.BadSignature;
    }
}
