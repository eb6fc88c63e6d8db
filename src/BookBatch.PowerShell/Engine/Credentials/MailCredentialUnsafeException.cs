using System.IO;

namespace BookBatch.Engine.Credentials
{
    /// <summary>A stored password's file that others than its user may read (or change): it is not used, as ssh does with a key.</summary>
    public sealed class MailCredentialUnsafeException : IOException
    {
        internal MailCredentialUnsafeException(string path)
            : base($"the stored password '{path}' may be read by other users, so it is not used: remove it (Remove-BookBatchMailCredential) and store it again with Set-BookBatchMailCredential, or make it yours alone (chmod 600 '{path}')")
        {
            Path = path;
        }

        /// <summary>The file.</summary>
        public string Path { get; }
    }
}
