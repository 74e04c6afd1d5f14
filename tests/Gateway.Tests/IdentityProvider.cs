using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// A member state's identity provider as the gateway sees it: a JWKS on loopback (a free port) holding the keys it signs
/// with. <see cref="Rotate"/> replaces them, as a provider rotating its key does; <see cref="Reads"/> counts the JWKS reads.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile SecurityKey[] _published;
    private int _reads;

    private IdentityProvider(WebApplication app, string issuer, SecurityKey[] keys)
    {
        _app = app;
        Issuer = issuer;
        _published = keys;
    }

    public string Issuer { get; }

    public string JwksUrl => _app.Urls.First() + "/jwks";

    public int Reads => Volatile.Read(ref _reads);

    public static async Task<IdentityProvider> StartAsync(string issuer, SecurityKey key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new IdentityProvider(app, issuer, [key]);
        app.MapGet("/jwks", (HttpContext context) =>
        {
            Interlocked.Increment(ref provider._reads);
            return Results.Text(provider.Jwks(), "application/json");
        });
        await app.StartAsync();
        return provider;
    }

    public static SecurityKey NewRsaKey(string kid) => new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid };

    public static SecurityKey NewEcKey(string kid) => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    /// <summary>From now on the JWKS holds only <paramref name="keys"/>.</summary>
    public void Rotate(params SecurityKey[] keys) => _published = keys;

    /// <summary>A token of this provider (or claiming to be, with <paramref name="issuer"/>), signed with <paramref name="key"/>.</summary>
    public string Token(SecurityKey key, string role, string? country, string? issuer = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "officer-" + role, ["role"] = role };
        if (country is not null)
        {
            claims["country"] = country;
        }
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = "returnops",
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(key, key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
        });
    }

    private string Jwks()
    {
        var keys = _published.Select(k => k switch
        {
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId }),
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = ec.KeyId }),
            _ => throw new NotSupportedException(k.GetType().Name),
        }).Select(j => new Dictionary<string, string?> { ["kty"] = j.Kty, ["kid"] = j.Kid, ["use"] = "sig", ["n"] = j.N, ["e"] = j.E, ["crv"] = j.Crv, ["x"] = j.X, ["y"] = j.Y }
            .Where(p => p.Value is not null).ToDictionary());
        return JsonSerializer.Serialize(new { keys });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
