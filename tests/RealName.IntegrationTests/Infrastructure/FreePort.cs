using System.Net;
using System.Net.Sockets;

namespace RealName.IntegrationTests.Infrastructure;

internal static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port the OS handed out as "free" could meanwhile become the source
    // port of some outgoing connection (PostgreSQL, gRPC), and the listener that wanted it failed with "address in use".
    // Below Orleans' TestCluster ranges too (silos 22300-29999, gateways 40000-49999): the test assemblies run at the same
    // time, and a TestCluster in another one could bind a port handed out here before our listener did. Above 12000, clear
    // of a developer's grid on Orleans' default ports (11111, 30000).
    private const int First = 12_000;
    private const int Count = 10_200;

    private static readonly HashSet<int> Given = [];
    private static int next = First + Random.Shared.Next(Count);

    /// <summary>A loopback port nobody listens on right now, outside the ephemeral range, never given twice by this process.</summary>
    public static int Next()
    {
        lock (Given)
        {
            for (var tried = 0; tried < Count; tried++)
            {
                var port = First + ((next++ - First) % Count);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}-{First + Count - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
