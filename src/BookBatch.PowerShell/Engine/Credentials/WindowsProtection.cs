using System.Security.Cryptography;
using System.Text;

namespace BookBatch.Engine.Credentials
{
    /// <summary>
    /// DPAPI for the current user, on Windows only. A type of its own, so that the assembly is loaded only where it is
    /// called. Not tested on this project's Linux machines: kept to these two calls.
    /// </summary>
    internal static class WindowsProtection
    {
        // DPAPI's optional entropy: a blob of another program protected for the same user does not open as ours.
        private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("BookBatch mail credential");

        public static byte[] Protect(string password) => ProtectedData.Protect(Encoding.UTF8.GetBytes(password), Entropy, DataProtectionScope.CurrentUser);

        public static string Unprotect(byte[] blob) => Encoding.UTF8.GetString(ProtectedData.Unprotect(blob, Entropy, DataProtectionScope.CurrentUser));
    }
}
