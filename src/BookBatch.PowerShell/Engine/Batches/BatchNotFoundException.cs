using System;

namespace BookBatch.Engine.Batches
{
    /// <summary>A batch id with no journal, or a workspace with no batch yet.</summary>
    public sealed class BatchNotFoundException : Exception
    {
        /// <summary>Creates the error for an id (null: the workspace has no batch at all) and the workspace's batches folder.</summary>
        public BatchNotFoundException(string? id, string batchesPath)
            : base(id is null
                ? $"There is no batch yet: '{batchesPath}' has no journal. Run one with Invoke-BookBatch; each batch writes batches/<id>.jsonl."
                : $"There is no batch '{id}': '{batchesPath}' has no '{id}.jsonl'. The batches are the files in that folder " +
                  $"(Get-ChildItem '{batchesPath}'); Get-BatchSummary -Last 5 shows the latest.")
        {
            Id = id;
            BatchesPath = batchesPath;
        }

        /// <summary>The id asked for; null when the workspace has no batch at all.</summary>
        public string? Id { get; }

        /// <summary>The folder that holds the journals.</summary>
        public string BatchesPath { get; }
    }
}
