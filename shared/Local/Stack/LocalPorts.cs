namespace WineFunctions.Stack;

/// <summary>The stack's listening ports: the well-known one when it is free, else any.</summary>
internal static class LocalPorts
{
    /// <returns><paramref name="port"/> when nothing listens on it, else 0 (any free port: the endpoints file and the console say which).</returns>
    public static int Preferred(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return port;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return 0; // taken, e.g. by a mosquitto service or another stack
        }
    }
}
