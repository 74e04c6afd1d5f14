using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>
/// Issue 11, defect 3: a subscriber chose any URL and the platform posted to it from inside its network (loopback in
/// any spelling, private ranges, cloud metadata, in-cluster names). Now refused when subscribing and when connecting.
/// </summary>
public sealed class DestinationPolicyTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    /// <summary>Every spelling the review tried, and the ranges and names around them; none is a partner's by default.</summary>
    private static readonly string[] s_forbidden =
    [
        // Loopback: over http as the review sent it, and over https.
        "http://127.0.0.1:8080/api/v1/subscriptions", "http://127.1/", "http://0x7f000001/", "http://2130706433/", "http://0177.0.0.1/",
        "http://[::ffff:127.0.0.1]/", "http://localhost/", "http://LOCALHOST./",
        "https://127.1/hooks", "https://0x7f000001/hooks", "https://2130706433/hooks", "https://127.0.0.1./hooks", "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks", "https://[::ffff:7f00:1]/hooks", "https://[::127.0.0.1]/hooks", "https://[2002:7f00:1::]/hooks",
        // Private, link-local (cloud metadata), unspecified, multicast, CGNAT, reserved; IPv4-mapped and NAT64 forms of them.
        "https://10.0.0.5/", "https://172.16.0.1/", "https://172.31.255.255/", "https://192.168.1.1/", "https://[fd00::1]/", "https://[fc00::1]/",
        "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/", "https://[::ffff:169.254.169.254]/", "https://[64:ff9b::a9fe:a9fe]/",
        "https://[::ffff:10.0.0.1]/", "https://[::ffff:a00:1]/", "https://0.0.0.0/", "https://0/", "https://[::]/", "https://224.0.0.1/",
        "https://[ff02::1]/", "https://100.64.0.1/", "https://100.127.255.254/", "https://255.255.255.255/", "https://240.0.0.1/",
        // Names that resolve only inside a network.
        "https://returnops-silo/", "https://postgres.returnops.svc/", "https://db.returnops.svc.cluster.local/", "https://printer.local/",
        "https://metadata.google.internal/", "https://localhost/", "https://localhost./", "https://api.localhost/",
        // Not https.
        "http://at.example/hooks", "ftp://at.example/hooks",
    ];

    /// <summary>Issue 23, defect 10: IANA's special-purpose ranges that are not globally reachable, and names invalid after IDNA mapping.</summary>
    private static readonly string[] s_notGlobal =
    [
        "https://198.18.0.1/", "https://198.19.255.254/", "https://192.0.0.8/", "https://192.0.2.1/", "https://198.51.100.7/",
        "https://203.0.113.9/", "https://[2001:db8::1]/", "https://[2001:db8:ffff::1]/", "https://[::ffff:198.18.0.1]/",
        "https://①②⑦.⓪.⓪.①/", "https://⑧.⑧.⑧.⑧/", "https://ex①.com/", "https://ｅｘａｍｐｌｅ.com/", "https://exa\u200Bmple.com/",
        "https://a_b.example.com/", "https://-bad.example.com/", "https://1.2.3.4.5/",
    ];

    public static TheoryData<string> Forbidden => [.. s_forbidden];

    public static TheoryData<string> NotGlobal => [.. s_notGlobal];

    [Theory]
    [MemberData(nameof(NotGlobal))]
    public void A_special_purpose_address_or_a_name_invalid_after_IDNA_mapping_is_refused(string url) =>
        Assert.NotNull(new WebhookDestinationPolicy(new MessagingOptions()).Refusal(new Uri(url)));

    [Theory]
    [InlineData("https://198.17.255.255/")]
    [InlineData("https://198.20.0.1/")]
    [InlineData("https://192.0.1.1/")]
    [InlineData("https://198.51.101.1/")]
    [InlineData("https://203.0.114.1/")]
    [InlineData("https://[2001:db9::1]/")]
    [InlineData("https://münchen.de/hooks")]
    [InlineData("https://xn--mnchen-3ya.de/hooks")]
    [InlineData("https://partner-1.example.com/hooks")]
    public void The_neighbours_of_the_special_ranges_and_international_names_are_accepted(string url) =>
        Assert.Null(new WebhookDestinationPolicy(new MessagingOptions()).Refusal(new Uri(url)));

    [Fact]
    public async Task A_special_purpose_or_disguised_destination_is_rejected_as_url_invalid_and_nothing_is_stored()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var node = Node(cluster, 0, Options(allowLoopback: false));

        foreach (var url in s_notGlobal)
        {
            var rejected = await Assert.ThrowsAsync<SubscriptionRejectedException>(() =>
                node.Subscriptions.CreateAsync("AT", "AT", new CreateSubscription(url, Secret, ["*"])));
            Assert.Equal("subscription.url_invalid", rejected.Code);
        }
        Assert.Empty(await node.Subscriptions.ListAsync("AT"));
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void A_forbidden_destination_is_refused_by_default(string url)
    {
        var policy = new WebhookDestinationPolicy(new MessagingOptions());

        Assert.NotNull(policy.Refusal(new Uri(url)));
    }

    [Theory]
    [InlineData("https://at.example/hooks")]
    [InlineData("https://at.example./hooks")]
    [InlineData("https://93.184.215.14/hooks")]
    [InlineData("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hooks")]
    [InlineData("https://100.63.255.255/hooks")]
    [InlineData("https://172.32.0.1/hooks")]
    public void A_public_https_destination_is_accepted(string url) =>
        Assert.Null(new WebhookDestinationPolicy(new MessagingOptions()).Refusal(new Uri(url)));

    [Fact]
    public async Task A_forbidden_url_is_rejected_as_url_invalid_and_nothing_is_stored()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var node = Node(cluster, 0, Options(allowLoopback: false));

        foreach (var url in s_forbidden)
        {
            var rejected = await Assert.ThrowsAsync<SubscriptionRejectedException>(() =>
                node.Subscriptions.CreateAsync("AT", "AT", new CreateSubscription(url, Secret, ["*"])));
            Assert.Equal("subscription.url_invalid", rejected.Code);
        }
        Assert.Empty(await node.Subscriptions.ListAsync("AT"));
    }

    [Fact]
    public void Allowed_hosts_and_networks_from_configuration_are_accepted_and_nothing_else()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Messaging:AllowedWebhookHosts:0"] = "partner.internal",
            ["Messaging:AllowedWebhookHosts:1"] = "10.20.0.0/16",
            ["Messaging:AllowedWebhookHosts:2"] = "192.168.1.7",
        });
        var policy = new WebhookDestinationPolicy(options);

        Assert.False(options.AllowLoopbackWebhooks);
        Assert.Null(policy.Refusal(new Uri("https://partner.internal/hooks")));
        Assert.Null(policy.Refusal(new Uri("https://PARTNER.internal./hooks")));
        Assert.Null(policy.Refusal(new Uri("https://10.20.3.4/hooks")));
        Assert.Null(policy.Refusal(new Uri("https://[::ffff:10.20.3.4]/hooks")));
        Assert.Null(policy.Refusal(new Uri("https://192.168.1.7/hooks")));
        Assert.NotNull(policy.Refusal(new Uri("https://10.21.0.1/hooks")));
        Assert.NotNull(policy.Refusal(new Uri("https://192.168.1.8/hooks")));
        Assert.NotNull(policy.Refusal(new Uri("https://other.internal/hooks")));
        Assert.NotNull(policy.Refusal(new Uri("http://partner.internal/hooks")));
        Assert.NotNull(policy.Refusal(new Uri("http://127.0.0.1/hooks")));
    }

    [Fact]
    public void The_loopback_switch_allows_loopback_over_http_and_nothing_else()
    {
        var policy = new WebhookDestinationPolicy(Bind(new Dictionary<string, string?> { ["Messaging:AllowLoopbackWebhooks"] = "true" }));

        Assert.Null(policy.Refusal(new Uri("http://127.0.0.1:5099/webhooks")));
        Assert.Null(policy.Refusal(new Uri("http://127.1:5099/webhooks")));
        Assert.Null(policy.Refusal(new Uri("http://localhost:5099/webhooks")));
        Assert.Null(policy.Refusal(new Uri("https://[::1]/webhooks")));
        Assert.NotNull(policy.Refusal(new Uri("http://10.0.0.1/webhooks")));
        Assert.NotNull(policy.Refusal(new Uri("https://169.254.169.254/")));
        Assert.NotNull(policy.Refusal(new Uri("http://at.example/webhooks")));
    }

    /// <summary>
    /// DNS rebinding without a hosts file: the test's resolver says <c>partner.example</c> (a name no real DNS answers) is
    /// 127.0.0.1, where the partner listens. Refused unless allowed; when allowed, the delivery arrives, so the connection
    /// went to the address that was checked, not to a second lookup. The URL skips the subscription check, as a name that
    /// was public when subscribed and resolves inward later would.
    /// </summary>
    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting_unless_allowed()
    {
        var partner = await PartnerAsync();
        var lookups = 0;
        HostResolver resolve = (host, _) =>
        {
            Interlocked.Increment(ref lookups);
            return Task.FromResult(host == "partner.example" ? new[] { IPAddress.Loopback } : []);
        };
        var target = Target(new Uri($"http://partner.example:{partner.Port}{Partner.WebhookPath}"));

        var refused = await SendAsync(Options(allowLoopback: false), resolve, target);
        Assert.False(refused.Delivered);
        Assert.Equal("sub_test: refused destination", refused.Error);
        Assert.Equal(1, lookups); // not retried in process: it stays refused until its DNS changes
        Assert.Empty(partner.Received);

        Assert.True((await SendAsync(Options(allowLoopback: true), resolve, target)).Delivered);
        var byName = Options(allowLoopback: false);
        byName.AllowedWebhookHosts.Add("partner.example");
        Assert.True((await SendAsync(byName, resolve, target)).Delivered);
        Assert.Equal(2, partner.Received.Count);
    }

    /// <summary>The platform's resolver: <c>localhost</c> resolves to loopback on any host, so it needs no test resolver.</summary>
    [Theory]
    [InlineData("localhost")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task A_stored_loopback_url_is_refused_when_connecting(string host)
    {
        var partner = await PartnerAsync();

        var result = await SendAsync(Options(allowLoopback: false), null, Target(new Uri($"http://{host}:{partner.Port}{Partner.WebhookPath}")));

        Assert.Equal("sub_test: refused destination", result.Error);
        Assert.Empty(partner.Received);
    }

    [Fact]
    public async Task A_failure_is_reported_as_its_class_without_host_port_or_status()
    {
        var partner = await PartnerAsync();
        partner.Behaviour = PartnerBehaviour.Fail;

        var closedPort = await SendAsync(Options(allowLoopback: true), null, Target(new Uri("http://127.0.0.1:9/hooks")));
        var failing = await SendAsync(Options(allowLoopback: true), null, Target(partner.Url));

        Assert.Equal("sub_test: connection failed", closedPort.Error);
        Assert.Equal("sub_test: HTTP 5xx", failing.Error);
    }

    private static MessagingOptions Options(bool allowLoopback)
    {
        var options = TestOptions();
        options.AllowLoopbackWebhooks = allowLoopback;
        return options;
    }

    private static MessagingOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new MessagingOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Messaging").Bind(options);
        return options;
    }

    private static SubscriptionTarget Target(Uri url) => new("sub_test", "AT", url, Secret, EventFilter.TryCreate(["*"])!, 0);

    private async Task<SendResult> SendAsync(MessagingOptions options, HostResolver? resolve, SubscriptionTarget target)
    {
        var destinations = new WebhookDestinationPolicy(options, resolve);
        await using var sender = new WebhookSender(MessagingServiceCollectionExtensions.CreateHttpClient(destinations), options, Clock);
        var body = Encoding.UTF8.GetBytes("""{"id":"m-1","type":"booking.confirmed","occurredAt":"2026-11-22T08:00:00+00:00","data":{}}""");
        return await sender.SendAsync(target, "m-1", body, TestContext.Current.CancellationToken);
    }
}
