using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace BookBatch.Watchdog
{
    /// <summary>
    /// <c>dotnet BookBatch.Watchdog.dll &lt;token&gt; &lt;silence ms&gt;</c>: watches the host whose pipe is its standard
    /// input (BookBatch's StageWatch starts it). It outlives termination signals on purpose: a service stop or a Ctrl+C
    /// ends the host, whose closed pipe is what ends the watchdog, after it has ended the host's stages.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2 || !long.TryParse(args[1], out var silence) || silence < 0)
            {
                Console.Error.WriteLine("usage: dotnet BookBatch.Watchdog.dll <token> <silence ms; 0 for none> (started by BookBatch, with the host's pipe as input)");
                return 2;
            }
            // The module's assembly is the folder above this one's, as the module is staged.
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                var path = Path.Combine(AppContext.BaseDirectory, "..", name.Name + ".dll");
                return File.Exists(path) ? context.LoadFromAssemblyPath(Path.GetFullPath(path)) : null;
            };
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = true);
            using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);
            using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => c.Cancel = true);
            return Watch(args[0], silence == 0 ? null : TimeSpan.FromMilliseconds(silence));
        }

        // Apart from Main, so that the module's assembly is looked for only once the resolver above is in place.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Watch(string token, TimeSpan? silence) => Engine.Watchdog.StageWatchdog.Run(Console.In, token, silence);
    }
}
