using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Schedules;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>The schedules Register-BookBatchSchedule set up for a workspace, from their records in schedules/.</summary>
    [Cmdlet(VerbsCommon.Get, "BookBatchSchedule")]
    [OutputType(typeof(BookBatchSchedule))]
    public sealed class GetBookBatchScheduleCommand : WorkspaceCmdlet
    {
        /// <summary>Only the schedules with these names (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var all = BookBatchSchedule.ReadAll(CurrentWorkspace.Root, (path, e) => WriteError(new ErrorRecord(e, ErrorIds.ScheduleRecordCorrupt, ErrorCategory.InvalidData, path)
                { ErrorDetails = new ErrorDetails($"The schedule record '{path}' cannot be read: {e.Message} Register the schedule again with -Force.") }));
            foreach (var pattern in Name ?? new[] { "*" })
            {
                var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                var found = all.Where(s => wildcard.IsMatch(s.Name)).ToList();
                if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                    WriteError(Errors.Record(ErrorIds.ScheduleNotFound, ErrorCategory.ObjectNotFound,
                        $"The workspace '{CurrentWorkspace.Root}' has no schedule '{pattern}'. Get-BookBatchSchedule lists those it has.", pattern));
                foreach (var schedule in found) WriteObject(schedule);
            }
        }
    }
}
