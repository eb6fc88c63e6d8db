using System;
using BookBatch.Tests.Hosting;

namespace BookBatch.Tests
{
    /// <summary>
    /// The test assembly doubles as the child process of the multi-process tests:
    /// <c>dotnet BookBatch.Tests.dll ledger-writer WORKSPACE PREFIX COUNT</c> adds and completes COUNT books in
    /// WORKSPACE through the module's cmdlets, as a separate PowerShell process would.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 4 && args[0] == "ledger-writer") return ChildProcesses.LedgerWriter(args[1], args[2], int.Parse(args[3]));
            Console.Error.WriteLine("usage: BookBatch.Tests ledger-writer WORKSPACE PREFIX COUNT (the tests run through 'dotnet test')");
            return 2;
        }
    }

    internal static class ChildProcesses
    {
        public static int LedgerWriter(string workspace, string prefix, int count)
        {
            using var session = new PowerShellSession();
            var result = session.Run(@"
                param($workspace, $prefix, $count)
                foreach ($i in 1..$count) {
                    $line = '{0} book {1} | {0} author' -f $prefix, $i
                    $line | Add-Book -Workspace $workspace -ErrorAction Stop
                    Complete-Book -Workspace $workspace -Title ('{0} book {1}' -f $prefix, $i) -Author ('{0} author' -f $prefix) `
                        -YouTubeUrl ('https://youtube.com/watch?v={0}-{1}' -f $prefix, $i) -ErrorAction Stop
                }", workspace, prefix, count);
            if (result.Terminating != null || result.Errors.Count > 0)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, result.ErrorIds));
                Console.Error.WriteLine(result.Terminating?.ToString());
                return 1;
            }
            return 0;
        }
    }
}
