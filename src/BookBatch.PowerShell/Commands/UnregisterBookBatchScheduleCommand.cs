using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Schedules;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>Removes a schedule: from its scheduler, then its definition files, script and record. Its logs stay.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "BookBatchSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BookBatchSchedule))]
    public sealed class UnregisterBookBatchScheduleCommand : WorkspaceCmdlet
    {
        /// <summary>The schedule's name (Get-BookBatchSchedule's output binds to it).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>Writes the schedule that was removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var schedule = BookBatchSchedule.ReadAll(CurrentWorkspace.Root, (_, _) => { })
                .FirstOrDefault(s => string.Equals(s.Name, Name, StringComparison.OrdinalIgnoreCase));
            if (schedule is null)
            {
                WriteError(Errors.Record(ErrorIds.ScheduleNotFound, ErrorCategory.ObjectNotFound,
                    $"The workspace '{CurrentWorkspace.Root}' has no schedule '{Name}' (or its record cannot be read). Get-BookBatchSchedule lists those it has.", Name));
                return;
            }
            var removal = ScheduleInstaller.Unregister(schedule.Definition, schedule.DefinitionFiles);
            var description = $"Unregister the schedule '{schedule.Name}' ({schedule.Scheduler}):{Environment.NewLine}{removal.Describe()}";
            if (!ShouldProcess(description, $"Unregister the schedule '{schedule.Name}'?", "Unregister-BookBatchSchedule")) return;
            try { ScheduleInstaller.Apply(removal); }
            catch (Exception e) when (e is ScheduleRegistrationException or IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, ErrorIds.ScheduleRegistrationFailed, ErrorCategory.WriteError, Name));
                return;
            }
            if (PassThru) WriteObject(schedule);
        }
    }
}
