using System.Net;
using System.Net.Sockets;

namespace Switchboard.Tests.Infrastructure;

public static class TestPorts
{
    // Below Linux's ephemeral range (32768-60999): a port the kernel picked for us (port 0) can be handed out again at
    // once as the local end of some other test's outgoing connection, and a daemon told to bind it then fails to start.
    // Handing out ports in order from a range the kernel never picks on its own means no two tests in this process get
    // the same one, and no outgoing connection takes it in between.
    private const int First = 20000, Last = 32000;
    private static int _next = First + Random.Shared.Next(Last - First);

    /// <summary>A loopback port nothing listens on right now, and that this test run has not handed out before.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % (Last - First));
            if (CanBind(port)) return port;
        }
        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }

    private static bool CanBind(int port)
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
