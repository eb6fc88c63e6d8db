using System.Management.Automation;
using BookBatch.Engine.Postgres;

namespace BookBatch.Module
{
    /// <summary>The ErrorRecords of a PostgreSQL store that cannot be used: the connection (never the password) is the target.</summary>
    internal static class StoreErrors
    {
        /// <summary>The record of <paramref name="e"/>.</summary>
        public static ErrorRecord Record(StoreException e) => e switch
        {
            StoreUnreachableException => new ErrorRecord(e, ErrorIds.BookBatchStoreUnreachable, ErrorCategory.ConnectionError, e.Connection),
            StoreLoginFailedException => new ErrorRecord(e, ErrorIds.BookBatchStoreLoginFailed, ErrorCategory.AuthenticationError, e.Connection),
            StoreSchemaMissingException => new ErrorRecord(e, ErrorIds.BookBatchStoreSchemaMissing, ErrorCategory.ObjectNotFound, e.Connection),
            StoreSchemaOlderException => new ErrorRecord(e, ErrorIds.BookBatchStoreSchemaOlder, ErrorCategory.InvalidData, e.Connection),
            StoreNotEmptyException => new ErrorRecord(e, ErrorIds.BookBatchStoreNotEmpty, ErrorCategory.ResourceExists, e.Connection),
            StoreSchemaNewerException => new ErrorRecord(e, ErrorIds.BookBatchStoreSchemaNewer, ErrorCategory.InvalidData, e.Connection),
            StoreEncodingException => new ErrorRecord(e, ErrorIds.BookBatchStoreEncoding, ErrorCategory.InvalidData, e.Connection),
            StoreNotSupportedException => new ErrorRecord(e, ErrorIds.BookBatchStoreNotSupported, ErrorCategory.NotImplemented, e.Connection),
            _ => new ErrorRecord(e, e.GetType().Name, ErrorCategory.NotSpecified, e.Connection),
        };
    }
}
