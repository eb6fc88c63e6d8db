using System;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Module;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Watchdog;

namespace BookBatch.Commands
{
    /// <summary>
    /// A cmdlet that runs batches of a workspace (Invoke-BookBatch, Start-BookBatchWorker): the options a batch takes from
    /// bookbatch.json, each overridden by a parameter, and the settings checked before any work.
    /// </summary>
    public abstract class BatchRunCmdlet : WorkspaceCmdlet
    {
        /// <summary>The privacy of the uploads: Public, Unlisted or Private. Defaults to bookbatch.json's "privacy".</summary>
        [Parameter]
        [ValidateSet("Public", "Unlisted", "Private", IgnoreCase = true)]
        public string? Privacy { get; set; }

        /// <summary>Seconds to wait between starting two books. Defaults to bookbatch.json's "delaySeconds".</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public double? DelaySeconds { get; set; }

        /// <summary>The most seconds one book may take, all stages together. Defaults to bookbatch.json's "bookTimeoutSeconds" (3600).</summary>
        [Parameter]
        [ValidateRange(1, 604800)]
        public double? TimeoutSeconds { get; set; }

        /// <summary>
        /// How many books may be worked on at once (default: bookbatch.json's "throttleLimit", else 1, which is one
        /// book after the other). Each stage's own "concurrency" and "rate" still hold across the whole workspace.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int? ThrottleLimit { get; set; }

        /// <summary>
        /// The runners of the batch's stages: processes (their host watched by a stage watchdog where the system has
        /// one, which the caller disposes when the batch ends) and scripts.
        /// </summary>
        protected (StageWatch? Watch, Func<StageSettings, IStageRunner> Runners) StageRunners()
        {
            var coordination = Coordination;
            var watch = StageWatch.ForThisSystem(coordination.HoldLapse, () => coordination.HoldsFresh);
            var processRunner = new ProcessStageRunner(watch);
            var scriptRunner = new ScriptStageRunner();
            return (watch, stage => stage.Kind == StageKind.Script ? scriptRunner : processRunner);
        }

        /// <summary>A batch's options: each parameter given, else its setting.</summary>
        protected BatchOptions OptionsFrom(PipelineSettings settings) => BatchOptions.From(settings, Privacy, DelaySeconds, TimeoutSeconds, ThrottleLimit);

        /// <summary>bookbatch.json with every stage's command found, or a terminating error: not half a book for a typing mistake.</summary>
        protected PipelineSettings LoadRunnableSettings()
        {
            var workspace = CurrentWorkspace;
            PipelineSettings? settings = null;
            Try(() =>
            {
                settings = PipelineSettings.Load(workspace.SettingsPath, workspace.Root);
                settings.CheckCommands(workspace.Root);
            }, workspace.SettingsPath, terminating: true);
            return settings!;
        }
    }
}
