using System.Net;
using System.Net.Sockets;

namespace ReturnOps.Storage.Tests.Hosting;

/// <summary>Loopback ports the system just handed out, so that silos of parallel tests never share one.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
