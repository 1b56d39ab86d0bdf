using System.Net;
using System.Net.Sockets;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

internal static class LoopbackPort
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now: connections to it are refused until someone binds it.</summary>
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
