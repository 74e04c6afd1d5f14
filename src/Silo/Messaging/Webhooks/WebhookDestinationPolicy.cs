using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReturnOps.Silo.Messaging.Webhooks;

/// <summary>Resolves a host name to its addresses; tests inject one to make a name point anywhere without a hosts file.</summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken cancellationToken);

/// <summary>
/// Where webhooks may go: https to a public address. A subscriber chooses the URL, so without this the platform would
/// post, from inside its network, to whatever the subscriber names: loopback (the gateway itself), the cluster, the cloud
/// metadata service. Checked twice: the URL when subscribing (<see cref="Refusal"/>), and every address a name resolves to
/// when connecting (<see cref="ConnectAsync"/>), so a name that later resolves inward (DNS rebinding) is refused too.
/// <see cref="MessagingOptions.AllowedWebhookHosts"/> and <see cref="MessagingOptions.AllowLoopbackWebhooks"/> make exceptions.
/// </summary>
public sealed class WebhookDestinationPolicy
{
    // Names that resolve only inside a network: mDNS, cloud and Kubernetes search domains (name.namespace.svc), RFC 8375.
    private static readonly string[] s_internalSuffixes = [".local", ".internal", ".localhost", ".svc", ".home.arpa"];

    private readonly HashSet<string> _allowedHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _allowedNetworks = [];
    private readonly bool _allowLoopback;
    private readonly HostResolver _resolve;

    public WebhookDestinationPolicy(MessagingOptions options, HostResolver? resolve = null)
    {
        foreach (var entry in options.AllowedWebhookHosts.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                _allowedNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
            {
                _allowedNetworks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _allowedHosts.Add(Normalize(entry));
            }
        }
        _allowLoopback = options.AllowLoopbackWebhooks;
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
    }

    /// <summary>Why a subscription may not use <paramref name="url"/> (an absolute URL), or null when it may.</summary>
    public string? Refusal(Uri url)
    {
        var host = Normalize(url.IdnHost);
        var isAddress = TryParseAddress(host, out var address);
        var loopback = isAddress ? AddressCategories.Of(address!) == AddressCategory.Loopback : IsLocalhostName(host);
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && _allowLoopback && loopback))
        {
            return "The URL must be https.";
        }
        if (url.HostNameType is UriHostNameType.Dns or UriHostNameType.Basic && !IsDnsName(url))
        {
            return "The host is not a valid DNS name once IDNA-mapped: letters, digits and hyphens, no address in disguise, no look-alike or invisible characters.";
        }
        if (_allowedHosts.Contains(host))
        {
            return null;
        }
        if (isAddress)
        {
            return IsAllowed(address!) ? null : $"The host's address is {Describe(AddressCategories.Of(address!))}; webhooks go to public addresses only.";
        }
        if (_allowLoopback && loopback)
        {
            return null;
        }
        return IsInternalName(host)
            ? "The host is a name that resolves only inside a network (no dot, localhost, .local, .internal, .svc); webhooks go to public names only."
            : null;
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses it when any of its addresses is forbidden
    /// (unless allowed), and connects to the addresses it checked, never to a second resolution's.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var host = Normalize(endpoint.Host);
        var addresses = TryParseAddress(host, out var literal) ? [literal!] : await _resolve(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        if (!_allowedHosts.Contains(host) && addresses.FirstOrDefault(a => !IsAllowed(a)) is { } forbidden)
        {
            throw new WebhookDestinationRefusedException(AddressCategories.Of(forbidden));
        }
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    private bool IsAllowed(IPAddress address)
    {
        var category = AddressCategories.Of(address);
        return category == AddressCategory.Public
            || (category == AddressCategory.Loopback && _allowLoopback)
            || _allowedNetworks.Exists(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
    }

    /// <summary>
    /// An IP literal in any spelling the platform accepts: Uri already rewrites <c>127.1</c>, <c>0x7f000001</c> and
    /// <c>2130706433</c> to 127.0.0.1 when it can; IPAddress parses what it leaves as a name, as the resolver would.
    /// </summary>
    private static bool TryParseAddress(string host, out IPAddress? address) =>
        IPAddress.TryParse(host.Trim('[', ']'), out address);

    private static bool IsLocalhostName(string host) =>
        host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);

    private static bool IsInternalName(string host) =>
        !host.Contains('.', StringComparison.Ordinal)
        || s_internalSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal));

    /// <summary>
    /// Whether a host written as a name is one DNS holds once IDNA-mapped (<see cref="Uri.IdnHost"/>): labels of 1 to 63 letters,
    /// digits and hyphens (none at either end), the last not a number. As written, beyond ASCII, it holds only letters, marks and
    /// digits: not symbols such as circled digits (<c>①②⑦.⓪.⓪.①</c> is 127.0.0.1 to a resolver that maps it, as UTS 46 does), not
    /// invisible characters (U+200B), not the full-width forms of ASCII (<c>ｅｘａｍｐｌｅ</c>). IDNA2008 disallows all three, and
    /// the gateway runs without ICU (invariant globalization), so it cannot map them itself and refuses them as written.
    /// </summary>
    private static bool IsDnsName(Uri url)
    {
        if (!url.Host.All(c => c < 0x80 ? char.IsAsciiLetterOrDigit(c) || c is '-' or '.'
            : c is < '\uFF00' or > '\uFFEF' && char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                or UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber))
        {
            return false;
        }
        var labels = Normalize(url.IdnHost).Split('.');
        return labels.Sum(l => l.Length + 1) <= 254 && !labels[^1].All(char.IsAsciiDigit)
            && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
    }

    /// <summary>Lower case, without the root's trailing dot: <c>LOCALHOST.</c> is <c>localhost</c>.</summary>
    private static string Normalize(string host) => host.TrimEnd('.').ToLowerInvariant();

    private static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.SharedAddressSpace => "shared (carrier-grade NAT)",
        AddressCategory.LinkLocal => "link-local",
        AddressCategory.SpecialPurpose => "special-purpose (documentation, benchmarking, protocol assignments: not globally reachable)",
        _ => category.ToString().ToLowerInvariant(),
    };
}

/// <summary>A webhook's host resolved to an address the <see cref="WebhookDestinationPolicy"/> forbids; nothing was sent.</summary>
public sealed class WebhookDestinationRefusedException(AddressCategory category)
    : IOException($"Refused destination: the host resolves to an address of category {category}.")
{
    public AddressCategory Category { get; } = category;
}
