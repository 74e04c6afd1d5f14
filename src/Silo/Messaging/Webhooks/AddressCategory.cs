using System.Net;
using System.Net.Sockets;

namespace ReturnOps.Silo.Messaging.Webhooks;

/// <summary>What kind of network an IP address belongs to; only <see cref="Public"/> is a partner's by default.</summary>
public enum AddressCategory
{
    Public,
    Loopback,

    /// <summary>RFC 1918, IPv6 unique local (fc00::/7) and the deprecated site-local fec0::/10.</summary>
    Private,

    /// <summary>169.254/16 (cloud metadata at 169.254.169.254) and fe80::/10.</summary>
    LinkLocal,

    /// <summary>0.0.0.0/8 and ::, which reach this host on most stacks.</summary>
    Unspecified,
    Multicast,

    /// <summary>100.64/10, carrier-grade NAT (RFC 6598): inside a provider's network.</summary>
    SharedAddressSpace,

    /// <summary>240/4 and the broadcast address.</summary>
    Reserved,

    /// <summary>
    /// IANA's special-purpose ranges that are not globally reachable: 192.0.0/24 (protocol assignments), 198.18/15
    /// (benchmarking), the documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24 and 2001:db8::/32.
    /// </summary>
    SpecialPurpose,
}

public static class AddressCategories
{
    /// <summary>
    /// The category of <paramref name="address"/>; an IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d,
    /// compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) has the category of the IPv4 address it reaches.
    /// </summary>
    public static AddressCategory Of(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return OfIPv4(address.GetAddressBytes());
        }
        var bytes = address.GetAddressBytes();
        return EmbeddedIPv4(address, bytes) is { } v4 ? OfIPv4(v4) : OfIPv6(bytes);
    }

    private static AddressCategory OfIPv4(byte[] b) => b[0] switch
    {
        0 => AddressCategory.Unspecified,
        127 => AddressCategory.Loopback,
        10 => AddressCategory.Private,
        172 when (b[1] & 0xF0) == 16 => AddressCategory.Private,
        192 when b[1] == 168 => AddressCategory.Private,
        169 when b[1] == 254 => AddressCategory.LinkLocal,
        100 when (b[1] & 0xC0) == 64 => AddressCategory.SharedAddressSpace,
        192 when b[1] == 0 && b[2] is 0 or 2 => AddressCategory.SpecialPurpose,
        198 when (b[1] & 0xFE) == 18 || (b[1] == 51 && b[2] == 100) => AddressCategory.SpecialPurpose,
        203 when b[1] == 0 && b[2] == 113 => AddressCategory.SpecialPurpose,
        >= 224 and <= 239 => AddressCategory.Multicast,
        >= 240 => AddressCategory.Reserved,
        _ => AddressCategory.Public,
    };

    private static AddressCategory OfIPv6(byte[] b)
    {
        if (b.AsSpan(0, 15).IndexOfAnyExcept((byte)0) < 0)
        {
            return b[15] switch
            {
                0 => AddressCategory.Unspecified,
                1 => AddressCategory.Loopback,
                _ => AddressCategory.Reserved,
            };
        }
        return b[0] switch
        {
            0xFF => AddressCategory.Multicast,
            0xFC or 0xFD => AddressCategory.Private,
            0xFE when (b[1] & 0xC0) == 0x80 => AddressCategory.LinkLocal,
            0xFE when (b[1] & 0xC0) == 0xC0 => AddressCategory.Private,
            0x20 when b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 => AddressCategory.SpecialPurpose,
            _ => AddressCategory.Public,
        };
    }

    private static byte[]? EmbeddedIPv4(IPAddress address, byte[] b)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().GetAddressBytes();
        }
        var compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && b.AsSpan(12, 3).IndexOfAnyExcept((byte)0) >= 0;
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        if (compatible || nat64)
        {
            return b[12..16];
        }
        return b[0] == 0x20 && b[1] == 0x02 ? b[2..6] : null;
    }
}
