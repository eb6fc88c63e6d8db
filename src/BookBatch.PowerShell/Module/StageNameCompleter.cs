using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Module
{
    /// <summary>Completes stage names from the workspace's bookbatch.json, in pipeline order (Reset-Book -FromStage).</summary>
    public sealed class StageNameCompleter : WorkspaceCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<string> Names(Workspace workspace) =>
            PipelineSettings.Load(workspace.SettingsPath, workspace.Root).Stages.Select(s => s.Name);
    }
}
