using System;

namespace BookBatch.Engine.Stages
{
    /// <summary>Idempotency keys: <c>bookbatch-</c> and 24 hex digits of the SHA-256 of the run folder's name and the stage's.</summary>
    public static class IdempotencyKeys
    {
        // Every attempt's environment has one: a hasher per thread, not one made (and freed) per attempt.
        [ThreadStatic] private static System.Security.Cryptography.SHA256? t_sha256;

        /// <summary>The key of a stage in a run folder.</summary>
        public static string Of(string runFolderName, string stage)
        {
            var hash = (t_sha256 ??= System.Security.Cryptography.SHA256.Create()).ComputeHash(System.Text.Encoding.UTF8.GetBytes(runFolderName + "/" + stage.ToLowerInvariant()));
            var key = new System.Text.StringBuilder("bookbatch-", 34);
            for (var i = 0; i < 12; i++) key.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return key.ToString();
        }
    }
}
