using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Notifications;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;
using BookBatch.Module;
using BookBatch.Screen;

namespace BookBatch.Commands
{
    /// <summary>
    /// Plans, confirms and runs a batch: for every book, skip it (done), resume it (processing) or process it (new),
    /// run the stages it still owes, and write one result per book as it finishes.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BookBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = InputParameterSet)]
    [OutputType(typeof(BookBatchResult))]
    public sealed class InvokeBookBatchCommand : BatchRunCmdlet
    {
        private const string InputParameterSet = "InputObject";
        private const string PathParameterSet = "Path";

        private readonly List<Book> _books = new();
        private int _row; // inputs so far, so that an error can name the row

        /// <summary>
        /// Books from the pipeline: book-list lines ('Title | Author', as Get-Content gives them), BookStatus objects,
        /// or objects with Title and Author properties (Import-Csv).
        /// </summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = InputParameterSet)]
        [AllowNull]
        [AllowEmptyString]
        public PSObject? InputObject { get; set; }

        /// <summary>Book-list files to read (wildcards allowed).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Processes books that are already done, in a new run folder (they will be published again).</summary>
        [Parameter]
        [Alias("NoSkip")]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Mails this batch's end to these addresses too: they are added to the recipients of every "email" target of
        /// bookbatch.json's "notifications" (its server, sender, "when" and "include"), for this batch only.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("NotifyEmail")]
        public string[] MailTo { get; set; } = Array.Empty<string>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == PathParameterSet)
            {
                foreach (var pattern in Path) ReadList(pattern);
                return;
            }
            if (!HasInput) return;
            // -InputObject given by name may hold a whole list; from the pipeline it is one book at a time.
            var items = !MyInvocation.ExpectingInput && InputObject?.BaseObject is System.Collections.IEnumerable list and not string
                ? list.Cast<object?>() : new object?[] { InputObject };
            foreach (var item in items)
            {
                var line = BookInput.From(item, ++_row);
                if (BookInput.CommentWarning(line, item) is string comment) WriteWarning(comment);
                if (line.IsEmpty) continue;
                if (line.Book is null) WriteError(BookInput.ErrorFor(line, item));
                else _books.Add(line.Book);
            }
        }

        private bool HasInput => MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject));

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (ParameterSetName == InputParameterSet && !HasInput)
                ThrowTerminatingError(Errors.Record(ErrorIds.BookListMissing, ErrorCategory.InvalidArgument,
                    "No books were given. Pipe book-list lines in (Get-Content books.txt | Invoke-BookBatch) or name a list with -Path.", null));

            var workspace = CurrentWorkspace;
            var settings = LoadSettings();
            var ledger = ReadLedger(_books);
            var plan = BatchPlan.Create(BatchPlan.NewId(DateTime.Now), ledger, _books, workspace.Root, Force, (book, match) =>
                WriteError(Errors.From(new Engine.Ledger.BookAmbiguousException(book, match.Ambiguous), book.ToString())),
                Coordination.Holds(settings.Stages));
            var options = OptionsFrom(settings);
            options.Force = Force;
            options.MailTo = MailTo;

            WritePlan(plan, settings);
            WarnOfUnknownStatuses(plan);
            if (IsWhatIf())
            {
                foreach (var book in plan.Books.Where(b => b.IsWork)) ShouldProcess(book.Book.ToString(), Describe(book));
                return;
            }
            // A read-only database would stop the batch at its first book's start: refused before anything is asked or made.
            if (plan.Books.Any(b => b.IsWork))
                Try(() => Engine.Ledger.BookDatabaseReadOnlyException.ThrowIfReadOnly(workspace.DatabasePath), workspace.DatabasePath, terminating: true);
            if (!Confirmed(plan)) return;
            foreach (var book in plan.Books.Where(b => b.IsWork))
                if (!ShouldProcess(book.Book.ToString(), Describe(book))) options.Declined.Add(book.Index);
            Run(workspace, settings, plan, options);
        }

        // bookbatch.json, with every stage's command found and -MailTo checked before any work.
        private PipelineSettings LoadSettings()
        {
            var settings = LoadRunnableSettings();
            if (MailRecipients.Check(MailTo, settings, "Nothing was run") is ErrorRecord mailError) ThrowTerminatingError(mailError);
            return settings;
        }

        private void WarnOfUnknownStatuses(BatchPlan plan)
        {
            foreach (var book in plan.Books.Where(b => b.IsWork && b.Status.UnknownStatusText != null))
                WriteWarning($"'{book.Book}' has the status '{Engine.Books.Excerpt.Of(book.Status.UnknownStatusText!)}' in database.json, which BookBatch does not know " +
                             "(it knows done and processing), so it is processed as a new book, and published again if that status meant it was published. " +
                             $"If it was, record it first: Complete-Book '{book.Book.Title}' -YouTubeUrl <url>.");
        }

        // Runs the confirmed batch, its results and progress pumped to this pipeline, and writes the final summary.
        private void Run(Workspace workspace, PipelineSettings settings, BatchPlan plan, BatchOptions options)
        {
            var journal = BatchJournal.Create(workspace, plan.Id);
            WriteVerbose($"Batch {plan.Id}: journal {journal.Path}");
            using var pump = new PipelinePump();
            var progress = new BatchProgress(pump, plan.Books.Count(b => b.IsWork && !options.Declined.Contains(b.Index)), workspace);
            pump.Tick = progress.Refresh;
            var (watch, runners) = StageRunners();
            using var watched = watch;
            var runner = new BatchRunner(workspace, Coordination, settings, options, plan, runners, progress, journal,
                notifier: new BatchNotifier(settings.Notifications.WithMailRecipients(options.MailTo), workspace.Root, journal, progress));
            // Ctrl+C (StopProcessing) or a termination signal (SIGTERM, SIGHUP, a closed window) stops the batch alike.
            using var stop = System.Threading.CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
            var work = Task.Run(async () =>
            {
                try { await runner.RunAsync(stop.Token).ConfigureAwait(false); }
                finally
                {
                    progress.Complete();
                    journal.Dispose();
                }
            });
            using var signals = TerminationSignals.StopOn(stop, work);
            // A batch that cannot go on (a damaged or locked database) has stopped its stages and ended its
            // journal; its failure ends the command with the usual error record. A stop (Ctrl+C, -ErrorAction Stop on a
            // failed book) still gets the final summary, written straight to the host: the pipeline takes no more output.
            try
            {
                Try(() => pump.Run(this, work, stop.Cancel), workspace.DatabasePath, terminating: true);
                WriteHostText(FinalSummary.Text(runner.Results, plan, workspace, interrupted: stop.IsCancellationRequested), "BookBatchSummary");
            }
            catch (Exception e) when (e is PipelineStoppedException or ActionPreferenceStopException)
            {
                Host.UI.WriteLine(FinalSummary.Text(runner.Results, plan, workspace, interrupted: true));
                throw;
            }
        }

        // The one question of the batch, after the plan (docs/DECISIONS.md, "A batch"): only when there is work, and neither -Confirm
        // (which asks per book) nor -Confirm:$false or $ConfirmPreference = 'None' (which never ask) says otherwise. A
        // session that cannot answer fails at once, before anything is written.
        private bool Confirmed(BatchPlan plan)
        {
            var work = plan.Books.Where(b => b.IsWork).ToList();
            if (work.Count == 0) return true;
            var confirm = MyInvocation.BoundParameters.TryGetValue("Confirm", out var given) ? ((SwitchParameter)given).IsPresent : (bool?)null;
            if (confirm == false || (confirm is null && SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact.None)) return true;
            var answer = BatchConfirmation.CanAsk(Host) ? confirm == true ? true : BatchConfirmation.Ask(Host, Question(work)) : null;
            if (answer is null)
                ThrowTerminatingError(Errors.Record(ErrorIds.BatchConfirmationRequired, ErrorCategory.PermissionDenied,
                    $"This batch would publish {work.Count} book(s) and has to be confirmed, but this session cannot ask (a scheduled task, pwsh -NonInteractive, " +
                    "or input that is not a keyboard). Nothing was run. To run it unattended, add -Confirm:$false; to see what it would do, add -WhatIf.", plan.Id));
            if (answer == false) WriteWarning("The batch was not confirmed: nothing was run or recorded.");
            return answer == true;
        }

        private static string Question(IReadOnlyList<PlannedBook> work)
        {
            var again = work.Count(b => b.Republishes);
            return string.Format(CultureInfo.InvariantCulture, "Proceed with batch processing? {0} book(s) to process, {1} to resume{2}. Publishing is not undone.",
                work.Count(b => b.Action == BookAction.Process), work.Count(b => b.Action == BookAction.Resume),
                again == 0 ? string.Empty : string.Format(CultureInfo.InvariantCulture, "; {0} published already, to publish AGAIN (-Force)", again));
        }

        // Text for the host, like Write-Host (information tagged PSHOST: a transcript or log keeps it; -InformationAction
        // Ignore or 6>$null hides it).
        private void WriteHostText(string text, string tag) =>
            WriteInformation(new HostInformationMessage { Message = text }, new[] { "PSHOST", tag });

        // -WhatIf on the command line, or $WhatIfPreference in the session: the plan only.
        private bool IsWhatIf() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
                ? ((SwitchParameter)whatIf).IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        private void ReadList(string pattern)
        {
            Collection<string> files;
            try
            {
                files = SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out _);
            }
            catch (ItemNotFoundException)
            {
                WriteError(Errors.Record(ErrorIds.BookListNotFound, ErrorCategory.ObjectNotFound,
                    $"The book list '{pattern}' does not exist (a relative path is taken from the current location, " +
                    $"'{SessionState.Path.CurrentFileSystemLocation.ProviderPath}', not from the workspace). Correct the path, " +
                    "or pipe the books in: Get-Content books.txt | Invoke-BookBatch.", pattern));
                return;
            }
            if (files.Count == 0)
                WriteError(Errors.Record(ErrorIds.BookListNotFound, ErrorCategory.ObjectNotFound,
                    $"No book list matches '{pattern}'. Check the path, or pipe the books in.", pattern));
            foreach (var file in files)
            {
                IReadOnlyList<BookLine> lines;
                try
                {
                    lines = BookListParser.ReadFile(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(e, ErrorIds.BookListUnreadable, ErrorCategory.ReadError, file)
                        { ErrorDetails = new ErrorDetails($"The book list '{file}' cannot be read: {e.Message} Name a text file of book lines.") });
                    continue;
                }
                foreach (var line in lines)
                {
                    if (line.IsEmpty) continue;
                    if (line.Book is null) WriteError(BookInput.ErrorFor(line, $"{file}:{line.LineNumber}", file));
                    else _books.Add(line.Book);
                }
            }
        }

        private static string Describe(PlannedBook book) =>
            book.Action == BookAction.Resume ? "Resume the unfinished book" :
            book.Republishes ? "Process again (-Force): it is published already, and is published AGAIN" :
            book.Status.UnknownStatusText is string raw ? $"Process as new the book whose status '{Engine.Books.Excerpt.Of(raw)}' BookBatch does not know (it may be published already)" :
            "Process the new book";

        private void WritePlan(BatchPlan plan, PipelineSettings settings) => WriteHostText(PlanTable.Text(plan, settings), "BookBatchPlan");
    }
}
