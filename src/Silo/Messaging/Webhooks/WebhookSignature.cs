using System.Security.Cryptography;
using System.Text;

namespace ReturnOps.Silo.Messaging.Webhooks;

/// <summary>
/// <c>X-ReturnOps-Signature: sha256=&lt;hex HMAC-SHA256(secret, timestamp + "." + body)&gt;</c>. The timestamp
/// (Unix seconds, also sent as <c>X-ReturnOps-Timestamp</c>) is signed so that a captured delivery cannot be
/// replayed later with a fresh timestamp.
/// </summary>
public static class WebhookSignature
{
    public const string MessageIdHeader = "X-ReturnOps-Message-Id";
    public const string TimestampHeader = "X-ReturnOps-Timestamp";
    public const string SignatureHeader = "X-ReturnOps-Signature";
    public const string Prefix = "sha256=";

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
