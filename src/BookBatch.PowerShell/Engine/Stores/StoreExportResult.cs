namespace BookBatch.Engine.Stores
{
    /// <summary>A PostgreSQL store's ledger written out as a database.json file (Export-BookBatchStore).</summary>
    public sealed class StoreExportResult
    {
        /// <summary>Creates the result of one export.</summary>
        public StoreExportResult(string connection, string path, int books, bool replacedFile, string? backup)
        {
            Connection = connection;
            Path = path;
            Books = books;
            ReplacedFile = replacedFile;
            Backup = backup;
        }

        /// <summary>The store, <c>host:port/database as user</c> (never the password).</summary>
        public string Connection { get; }
        /// <summary>The file written.</summary>
        public string Path { get; }
        /// <summary>The books written.</summary>
        public int Books { get; }
        /// <summary>True when a file was there and has been replaced (only with -Force).</summary>
        public bool ReplacedFile { get; }
        /// <summary>Where the replaced file was kept (the workspace's database.json.bak), or null.</summary>
        public string? Backup { get; }
    }
}
