using System.Net;
using System.Net.Sockets;

namespace ReturnOps.TestSupport;

/// <summary>
/// A loopback port the system just handed out, for a silo's or gateway's endpoint in a test: silos of tests running
/// in parallel must never share one.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
