using System.Security.Cryptography;
using System.Text;

namespace ReturnOps.Gateway.Complaints;

/// <summary>
/// A complaint's tracking code: 128 random bits, written as 26 letters and digits of Crockford's base32 (no I, L, O, U, so no
/// misreading), grouped by dashes for copying by hand. Only the SHA-256 of its canonical form is stored and looked up, so a copy
/// of the database shows no complaint's status to anyone, and no code is compared character by character in memory.
/// </summary>
public static class TrackingCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Characters = 26;

    public static string New()
    {
        var bits = RandomNumberGenerator.GetBytes(16);
        var text = new StringBuilder(Characters + 6);
        // 26 characters of 5 bits carry 130 bits: the first character carries only the top 3 bits' worth (128 = 3 + 25 × 5).
        var value = new System.Numerics.BigInteger(bits, isUnsigned: true, isBigEndian: true);
        var digits = new char[Characters];
        for (var i = Characters - 1; i >= 0; i--)
        {
            digits[i] = Alphabet[(int)(value % 32)];
            value /= 32;
        }
        for (var i = 0; i < Characters; i++)
        {
            if (i > 0 && i % 4 == 2)
            {
                text.Append('-');
            }
            text.Append(digits[i]);
        }
        return text.ToString();
    }

    /// <summary>The stored hash of a code as typed (case, dashes and spaces ignored), or null when it cannot be a code.</summary>
    public static string? Hash(string typed)
    {
        var canonical = new string(typed.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray());
        if (canonical.Length != Characters || !canonical.All(Alphabet.Contains))
        {
            return null;
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(canonical)));
    }
}
