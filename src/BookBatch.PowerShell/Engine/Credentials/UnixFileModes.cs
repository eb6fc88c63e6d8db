using System;
using System.IO;
using System.Reflection;

namespace BookBatch.Engine.Credentials
{
    /// <summary>
    /// A file or folder created for the user alone (0600, 0700) and the mode of one that exists, on Linux and macOS.
    /// netstandard2.0 has no such API, but a PowerShell that runs there is 7.4 or later (.NET 8), whose own
    /// <c>UnixCreateMode</c>, <c>CreateDirectory(path, mode)</c> and <c>GetUnixFileMode</c> are called by name: the mode is
    /// given when the file is made, so there is no moment in which others may read it.
    /// </summary>
    internal static class UnixFileModes
    {
        public const int UserReadWrite = 0x180; // 0600
        public const int UserOnlyFolder = 0x1C0; // 0700
        public const int GroupOrOthers = 0x3F; // 0077

        private static readonly Type? ModeType = typeof(File).Assembly.GetType("System.IO.UnixFileMode");

        /// <summary>Creates <paramref name="path"/> (and the folders above it that are missing) as 0700.</summary>
        public static void CreateFolder(string path)
        {
            if (Directory.Exists(path)) return;
            var parent = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent)) CreateFolder(parent!);
            Method(typeof(Directory), "CreateDirectory", typeof(string), ModeType!).Invoke(null, new[] { path, Mode(UserOnlyFolder) });
        }

        /// <summary>A new file, 0600 from the moment it exists; fails when it exists already.</summary>
        public static FileStream CreateNew(string path)
        {
            var optionsType = typeof(FileStream).Assembly.GetType("System.IO.FileStreamOptions") ?? throw Missing();
            var options = Activator.CreateInstance(optionsType);
            optionsType.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
            optionsType.GetProperty("Access")!.SetValue(options, FileAccess.Write);
            optionsType.GetProperty("UnixCreateMode")!.SetValue(options, Mode(UserReadWrite));
            var constructor = typeof(FileStream).GetConstructor(new[] { typeof(string), optionsType }) ?? throw Missing();
            try { return (FileStream)constructor.Invoke(new[] { path, options }); }
            catch (TargetInvocationException e) when (e.InnerException != null) { throw e.InnerException; }
        }

        /// <summary>The permission bits of a file or folder.</summary>
        public static int Of(string path)
        {
            try { return Convert.ToInt32(Method(typeof(File), "GetUnixFileMode", typeof(string)).Invoke(null, new object[] { path })); }
            catch (TargetInvocationException e) when (e.InnerException != null) { throw e.InnerException; }
        }

        private static object Mode(int bits) => Enum.ToObject(ModeType ?? throw Missing(), bits);

        private static MethodInfo Method(Type type, string name, params Type[] parameters) =>
            ModeType is null ? throw Missing() : type.GetMethod(name, parameters) ?? throw Missing();

        private static PlatformNotSupportedException Missing() =>
            new("this runtime cannot create a file readable only by its user: run BookBatch in PowerShell 7.4 or later");
    }
}
