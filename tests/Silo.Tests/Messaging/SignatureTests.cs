using System.Globalization;
using System.Text;
using ReturnOps.Client.Webhooks;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>The partner simulator checks signatures the way docs/messaging.md tells member states to.</summary>
public sealed class SignatureTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    private const string Body = """{"id":"m-1","type":"booking.confirmed","occurredAt":"2026-11-22T08:00:00+00:00","data":{"seats":3}}""";

    [Fact]
    public async Task A_signed_delivery_is_accepted_once_and_a_tampered_body_a_stale_timestamp_or_a_wrong_secret_are_refused()
    {
        var partner = await PartnerAsync();
        using var http = new HttpClient();
        var now = Timestamp(Clock.GetUtcNow());

        Assert.Equal(200, await Post(http, partner, Body, now, WebhookSignature.Compute(Secret, now, Encoding.UTF8.GetBytes(Body))));
        Assert.Equal(200, await Post(http, partner, Body, now, WebhookSignature.Compute(Secret, now, Encoding.UTF8.GetBytes(Body))));

        var tampered = Body.Replace("\"seats\":3", "\"seats\":30", StringComparison.Ordinal);
        Assert.Equal(401, await Post(http, partner, tampered, now, WebhookSignature.Compute(Secret, now, Encoding.UTF8.GetBytes(Body))));
        var stale = Timestamp(Clock.GetUtcNow() - TimeSpan.FromMinutes(10));
        Assert.Equal(401, await Post(http, partner, Body, stale, WebhookSignature.Compute(Secret, stale, Encoding.UTF8.GetBytes(Body))));
        Assert.Equal(401, await Post(http, partner, Body, now, WebhookSignature.Compute(Secret + "x", now, Encoding.UTF8.GetBytes(Body))));

        Assert.Equal(1, partner.Rejected(WebhookCheck.StaleTimestamp));
        Assert.Equal(2, partner.Rejected(WebhookCheck.BadSignature));
        Assert.Equal(["m-1", "m-1"], partner.Received.Select(r => r.MessageId));
        Assert.Equal(["m-1"], partner.Applied.Select(r => r.MessageId));
    }

    [Fact]
    public void The_signature_covers_the_timestamp()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        Assert.NotEqual(WebhookSignature.Compute(Secret, "1795334400", body), WebhookSignature.Compute(Secret, "1795334401", body));
        Assert.Matches("^sha256=[0-9a-f]{64}$", WebhookSignature.Compute(Secret, "1795334400", body));
    }

    private static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static async Task<int> Post(HttpClient http, Partner partner, string body, string timestamp, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, partner.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.MessageIdHeader, "m-1");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, signature);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
