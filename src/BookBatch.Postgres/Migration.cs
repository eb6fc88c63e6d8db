using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace BookBatch.Postgres
{
    /// <summary>One step of the schema: the embedded script <c>Migrations/NNNN_name.sql</c> that makes version NNNN.</summary>
    internal sealed class Migration
    {
        private const string Prefix = "Migrations/";

        private Migration(int version, string script)
        {
            Version = version;
            Script = script;
        }

        public int Version { get; }
        public string Script { get; }

        /// <summary>Every embedded migration, in version order.</summary>
        public static IReadOnlyList<Migration> All { get; } = Embedded();

        /// <summary>The schema version this module reads and writes.</summary>
        public static int Latest => All[All.Count - 1].Version;

        /// <summary>The embedded migrations in version order; numbered 1, 2, 3 ... without a gap, or the build is broken.</summary>
        private static IReadOnlyList<Migration> Embedded()
        {
            var assembly = typeof(Migration).Assembly;
            var migrations = assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                .Select(n =>
                {
                    using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                    return new Migration(int.Parse(n.Substring(Prefix.Length, 4), CultureInfo.InvariantCulture), reader.ReadToEnd());
                })
                .OrderBy(m => m.Version).ToList();
            for (var i = 0; i < migrations.Count; i++)
                if (migrations[i].Version != i + 1) throw new InvalidOperationException($"The schema migrations are not numbered 1 to {migrations.Count} without a gap.");
            return migrations;
        }
    }
}
