using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// <c>database.json</c> is read-only, so a change is refused and nothing is written. Checked on the file's own
    /// attributes before the replace, so that every OS behaves alike: Windows refuses to replace a read-only file, while
    /// on Unix the rename would go over it (always, for root) — see docs/DECISIONS.md, "Files".
    /// </summary>
    public sealed class BookDatabaseReadOnlyException : IOException
    {
        private const int OwnerWrite = 0x80; // S_IWUSR: the owner may write

        // File.GetUnixFileMode exists on the .NET that PowerShell 7 runs on; the module builds for netstandard2.0.
        private static readonly MethodInfo? s_unixFileMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

        /// <summary>Creates the error for the database file.</summary>
        public BookDatabaseReadOnlyException(string path)
            : base($"The book database '{path}' is read-only, so BookBatch did not write it: nothing was changed. " +
                   $"If it was not made read-only on purpose, make it writable ({MakeWritable(path)}) and run the command again; " +
                   "commands that only read it (Get-BookStatus, Test-BookDatabase) work as it is.") => Path = path;

        /// <summary>The database file.</summary>
        public string Path { get; }

        /// <summary>Throws when the file exists and is read-only: on Windows its ReadOnly attribute, elsewhere its owner's write bit.</summary>
        public static void ThrowIfReadOnly(string path)
        {
            if (IsReadOnly(path)) throw new BookDatabaseReadOnlyException(path);
        }

        private static bool IsReadOnly(string path)
        {
            try
            {
                if (!File.Exists(path)) return false;
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || s_unixFileMode is null)
                    return (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
                return (System.Convert.ToInt32(s_unixFileMode.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture) & OwnerWrite) == 0;
            }
            catch (System.Exception e) when (e is IOException or System.UnauthorizedAccessException or TargetInvocationException)
            {
                return false; // gone or unreadable: the write itself says what is wrong
            }
        }

        private static string MakeWritable(string path) => RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? $"Set-ItemProperty -LiteralPath '{path}' -Name IsReadOnly -Value $false, or clear Read-only in the file's Properties"
            : $"chmod u+w '{path}'";
    }
}
