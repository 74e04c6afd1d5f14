using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace ReturnOps.Gateway.Auth;

/// <summary>
/// The HS256 key of <c>Auth:SigningKey</c>. Development falls back to a fixed, public key so that the
/// README's commands work out of the box; every other environment must configure at least 32 bytes.
/// </summary>
public sealed class TokenSettings
{
    public const string Issuer = "returnops";
    public const string Audience = "returnops";
    public const int MinimumKeyBytes = 32;

    /// <summary>Public by design: it only ever signs tokens on a developer's machine.</summary>
    public const string DevelopmentKey = "returnops-development-signing-key-not-for-production";

    private TokenSettings(byte[] key) => Key = new SymmetricSecurityKey(key);

    public SymmetricSecurityKey Key { get; }

    public static TokenSettings From(IConfiguration configuration, bool isDevelopment)
    {
        var configured = configuration["Auth:SigningKey"];
        if (string.IsNullOrEmpty(configured))
        {
            configured = isDevelopment
                ? DevelopmentKey
                : throw new InvalidOperationException("Auth:SigningKey (env Auth__SigningKey) is required outside Development.");
        }
        var bytes = Encoding.UTF8.GetBytes(configured);
        if (bytes.Length < MinimumKeyBytes)
        {
            throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumKeyBytes} bytes.");
        }
        return new TokenSettings(bytes);
    }
}
