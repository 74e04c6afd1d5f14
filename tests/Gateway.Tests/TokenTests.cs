using Microsoft.Extensions.Configuration;
using ReturnOps.Gateway.Auth;

namespace ReturnOps.Gateway.Tests;

public sealed class TokenTests
{
    private static IConfiguration Config(string? key) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = key }).Build();

    [Fact]
    public void Outside_development_a_signing_key_is_required()
    {
        Assert.Throws<InvalidOperationException>(() => TokenSettings.From(Config(null), isDevelopment: false));
        Assert.NotNull(TokenSettings.From(Config(null), isDevelopment: true));
    }

    [Fact]
    public void A_signing_key_shorter_than_32_bytes_is_refused_everywhere()
    {
        Assert.Throws<InvalidOperationException>(() => TokenSettings.From(Config("too-short"), isDevelopment: false));
        Assert.Throws<InvalidOperationException>(() => TokenSettings.From(Config("too-short"), isDevelopment: true));
        Assert.NotNull(TokenSettings.From(Config(new string('k', 32)), isDevelopment: false));
    }

    [Fact]
    public void The_token_command_refuses_a_coordinator_without_a_country()
    {
        Assert.Equal(2, TokenCommand.Run(["--role", "coordinator"]));
        Assert.Equal(2, TokenCommand.Run(["--role", "emperor"]));
    }
}
