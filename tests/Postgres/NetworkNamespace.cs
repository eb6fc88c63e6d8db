using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// Another server's network, simulated on this machine: a network namespace of its own joined to this machine by a
    /// veth pair (this machine <see cref="HostAddress"/>, the namespace <see cref="Address"/>). <see cref="Cut"/> takes the
    /// namespace's link down: its connections neither end nor answer, as when a cable is pulled or a VM's network drops.
    /// Removed, with its link, when disposed.
    /// </summary>
    public sealed class NetworkNamespace : IDisposable
    {
        /// <summary>Why such tests cannot run here; null when they can (Linux, root, iproute2's ip).</summary>
        public static readonly string? Unavailable =
            !OperatingSystem.IsLinux() ? "network namespaces are Linux's"
            : Environment.UserName != "root" ? "making a network namespace needs root (CI runs as root)"
            : Ip() is null ? "ip (iproute2) is missing"
            : null;

        private readonly string _ip;
        private readonly string _name;
        private readonly string _hostLink;
        private readonly string _link;

        /// <param name="subnet">
        /// The link's network, <c>10.213.&lt;subnet&gt;.0/30</c>: namespaces alive at once need different ones; null for a random one.
        /// </param>
        public NetworkNamespace(int? subnet = null)
        {
            _ip = Ip() ?? throw new InvalidOperationException(Unavailable);
            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
            (_name, _hostLink, _link) = ("bookbatch-" + id, "bbh" + id, "bbn" + id); // a link's name has at most 15 characters
            var network = $"10.213.{subnet ?? RandomNumberGenerator.GetInt32(256)}";
            (HostAddress, Address) = (network + ".1", network + ".2");
            try
            {
                PostgresServer.Run(_ip, "netns", "add", _name);
                PostgresServer.Run(_ip, "link", "add", _hostLink, "type", "veth", "peer", "name", _link);
                PostgresServer.Run(_ip, "link", "set", _link, "netns", _name);
                PostgresServer.Run(_ip, "addr", "add", HostAddress + "/30", "dev", _hostLink);
                PostgresServer.Run(_ip, "link", "set", _hostLink, "up");
                InNamespace("addr", "add", Address + "/30", "dev", _link);
                InNamespace("link", "set", "lo", "up");
                Mend();
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>This machine's end of the link: what a process in the namespace connects to.</summary>
        public string HostAddress { get; }

        /// <summary>The namespace's end of the link.</summary>
        public string Address { get; }

        /// <summary>Makes <paramref name="start"/> start its command in the namespace (<c>ip netns exec</c> becomes the command).</summary>
        public void Wrap(ProcessStartInfo start)
        {
            var command = new[] { start.FileName }.Concat(start.ArgumentList).ToList();
            start.FileName = _ip;
            start.ArgumentList.Clear();
            foreach (var arg in new[] { "netns", "exec", _name }.Concat(command)) start.ArgumentList.Add(arg);
        }

        /// <summary>Takes the namespace's link down: nothing goes out or comes in, and nobody is told.</summary>
        public void Cut() => InNamespace("link", "set", _link, "down");

        /// <summary>
        /// Brings the link up, with the default route through it: whatever else this machine answers on (a service
        /// address) is reached through its end of the link. Taking the link down took the route away.
        /// </summary>
        public void Mend()
        {
            InNamespace("link", "set", _link, "up");
            InNamespace("route", "replace", "default", "via", HostAddress);
        }

        public void Dispose()
        {
            // Removing the namespace removes its end of the pair, and with it the other end.
            try { PostgresServer.Run(_ip, "netns", "del", _name); } catch (InvalidOperationException) { }
            try { PostgresServer.Run(_ip, "link", "del", _hostLink); } catch (InvalidOperationException) { }
        }

        /// <summary>
        /// Gives this machine <paramref name="address"/> besides its own (on the loopback device): one address that every
        /// namespace reaches by its default route, as servers reach a database's. Taken away again when disposed.
        /// </summary>
        public static IDisposable ServiceAddress(string address)
        {
            var ip = Ip() ?? throw new InvalidOperationException(Unavailable);
            try { PostgresServer.Run(ip, "addr", "del", address + "/32", "dev", "lo"); } catch (InvalidOperationException) { } // a run killed before its end
            PostgresServer.Run(ip, "addr", "add", address + "/32", "dev", "lo");
            return new Removal(() => PostgresServer.Run(ip, "addr", "del", address + "/32", "dev", "lo"));
        }

        private sealed class Removal : IDisposable
        {
            private Action? _remove;
            public Removal(Action remove) => _remove = remove;
            public void Dispose()
            {
                try { System.Threading.Interlocked.Exchange(ref _remove, null)?.Invoke(); } catch (InvalidOperationException) { }
            }
        }

        private void InNamespace(params string[] args) => PostgresServer.Run(_ip, new[] { "netns", "exec", _name, _ip }.Concat(args).ToArray());

        private static string? Ip() => new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip" }.FirstOrDefault(File.Exists);
    }
}
