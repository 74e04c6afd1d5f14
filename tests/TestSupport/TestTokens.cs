using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReturnOps.TestSupport;

/// <summary>HS256 JWTs as a gateway process expects them (api.md: issuer and audience <c>returnops</c>), for tests that run it as its own process.</summary>
public static class TestTokens
{
    public static string Issue(string signingKey, string role, string? country, string subject, string? provider = null)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var issuedAt = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["role"] = role,
            ["iss"] = "returnops",
            ["aud"] = "returnops",
            // The gateway refuses tokens living longer than 12 hours (docs/api.md); a test run is far shorter.
            ["iat"] = issuedAt,
            ["exp"] = issuedAt + (12 * 3600),
        };
        if (country is not null)
        {
            claims["country"] = country;
        }
        if (provider is not null)
        {
            claims["provider"] = provider;
        }
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }
}
