using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReturnOps.PartnerSimulator;

/// <summary>Why a delivery was refused before its content was looked at.</summary>
public enum Rejection
{
    None,
    MissingHeaders,
    StaleTimestamp,
    BadSignature,
}

/// <summary>
/// Verifies a delivery the way a member state's system would, written from docs/messaging.md and not from
/// the sender's code, so that a shared mistake cannot make both sides agree.
/// </summary>
public static class SignatureCheck
{
    public static Rejection Verify(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Rejection.MissingHeaders;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return Rejection.StaleTimestamp;
        }
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        hmac.TransformBlock(Encoding.UTF8.GetBytes(timestamp + "."), 0, timestamp.Length + 1, null, 0);
        hmac.TransformFinalBlock(body, 0, body.Length);
        var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(hmac.Hash!));
        // Constant time: the comparison must not tell an attacker how many leading characters were right.
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? Rejection.None : Rejection.BadSignature;
    }
}
