using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BookBatch.Engine.Ledger;
using Xunit;

namespace BookBatch.Tests.Architecture
{
    /// <summary>
    /// How the module's parts may depend on each other, read from the compiled assembly (docs/ARCHITECTURE.md): the
    /// file store is reached only through the coordination seam, and no two Engine namespaces depend on each other.
    /// </summary>
    public class EngineDependencyTests
    {
        private const string Engine = "BookBatch.Engine";
        private const string FileStore = "BookBatch.Engine.Coordination.Files";
        private const string CompositionRoot = "BookBatch.Engine.Stores.WorkspaceStore";

        private static readonly Assembly Module = typeof(BookLedger).Assembly;

        [Fact]
        public void OnlyTheCompositionRootAndTheFileStoreNameTheFileStore()
        {
            var offenders =
                from type in Module.GetTypes()
                where type.DeclaringType == null && type.Namespace != FileStore && type.FullName != CompositionRoot
                from used in ModuleTypeUses.UsesOf(type)
                where used.Namespace == FileStore
                select type.FullName + " names " + used.FullName;
            Assert.True(Module.GetTypes().Any(t => t.Namespace == FileStore), "no type in " + FileStore + ": the test would see nothing");
            var found = offenders.Distinct().ToList();
            Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
        }

        [Fact]
        public void NoTwoEngineNamespacesDependOnEachOther()
        {
            var because = new Dictionary<(string, string), string>();
            var graph = NamespaceGraph(because);
            var loops = StronglyConnected(graph)
                .Where(part => part.Count > 1)
                .Select(part => string.Join(Environment.NewLine, part.OrderBy(n => n, StringComparer.Ordinal)
                        .Select(start => string.Join(" -> ", LoopThrough(graph, part, start))).Distinct().Select(loop => "loop: " + loop))
                    + Environment.NewLine + "  its edges: "
                    + string.Join("; ", because.Where(e => part.Contains(e.Key.Item1) && part.Contains(e.Key.Item2)).Select(e => e.Value)))
                .ToList();
            Assert.True(loops.Count == 0, string.Join(Environment.NewLine, loops));
        }

        [Fact]
        public void TheUsesOfATypeIncludeWhatItsAsyncMethodsAndLambdasName()
        {
            // StageDispatch names RunFolderIOException only in the catch of an async method, whose body the compiler moves
            // into a nested state machine.
            Assert.Contains(typeof(BookBatch.Engine.Runs.RunFolderIOException), ModuleTypeUses.UsesOf(typeof(BookBatch.Engine.Batches.StageDispatch)));
        }

        [Fact]
        public void TheLoopFinderSeesALoopThroughThreeNamespaces()
        {
            var graph = new Dictionary<string, HashSet<string>>
            {
                ["A"] = new() { "B" }, ["B"] = new() { "C" }, ["C"] = new() { "A", "D" }, ["D"] = new(),
            };
            var parts = StronglyConnected(graph).Where(p => p.Count > 1).ToList();
            Assert.Single(parts);
            Assert.Equal(new[] { "A", "B", "C", "A" }, LoopThrough(graph, parts[0], "A"));
            Assert.Equal(new[] { "C", "A", "B", "C" }, LoopThrough(graph, parts[0], "C"));
        }

        private static Dictionary<string, HashSet<string>> NamespaceGraph(Dictionary<(string, string), string> because)
        {
            var graph = new Dictionary<string, HashSet<string>>();
            foreach (var type in Module.GetTypes().Where(t => t.DeclaringType == null && InEngine(t.Namespace)))
            {
                if (!graph.TryGetValue(type.Namespace!, out var edges)) graph[type.Namespace!] = edges = new HashSet<string>();
                foreach (var used in ModuleTypeUses.UsesOf(type))
                    if (InEngine(used.Namespace) && used.Namespace != type.Namespace && edges.Add(used.Namespace!))
                        because[(type.Namespace!, used.Namespace!)] = type.Name + " uses " + used.FullName;
            }
            return graph;
        }

        private static bool InEngine(string? ns) => ns != null && (ns == Engine || ns.StartsWith(Engine + ".", StringComparison.Ordinal));

        // Tarjan's strongly connected components: each part with more than one namespace holds at least one loop.
        private static List<HashSet<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
        {
            var index = new Dictionary<string, int>();
            var low = new Dictionary<string, int>();
            var stack = new Stack<string>();
            var parts = new List<HashSet<string>>();
            void Visit(string node)
            {
                index[node] = low[node] = index.Count;
                stack.Push(node);
                foreach (var next in graph.TryGetValue(node, out var e) ? e : new HashSet<string>())
                {
                    if (!index.ContainsKey(next)) { Visit(next); low[node] = Math.Min(low[node], low[next]); }
                    else if (stack.Contains(next)) low[node] = Math.Min(low[node], index[next]);
                }
                if (low[node] != index[node]) return;
                var part = new HashSet<string>();
                string popped;
                do { popped = stack.Pop(); part.Add(popped); } while (popped != node);
                parts.Add(part);
            }
            foreach (var node in graph.Keys.OrderBy(n => n, StringComparer.Ordinal))
                if (!index.ContainsKey(node)) Visit(node);
            return parts;
        }

        // The shortest loop from a namespace of the part back to itself, for the failure message.
        private static List<string> LoopThrough(Dictionary<string, HashSet<string>> graph, HashSet<string> part, string start)
        {
            var cameFrom = new Dictionary<string, string>();
            var queue = new Queue<string>(new[] { start });
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                foreach (var next in graph[node].Where(part.Contains).OrderBy(n => n, StringComparer.Ordinal))
                {
                    if (next == start)
                    {
                        var path = new List<string> { start };
                        for (var at = node; at != start; at = cameFrom[at]) path.Insert(1, at);
                        path.Add(start);
                        return path;
                    }
                    if (!cameFrom.ContainsKey(next)) { cameFrom[next] = node; queue.Enqueue(next); }
                }
            }
            return part.ToList();
        }
    }
}
