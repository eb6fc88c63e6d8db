using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace BookBatch.Tests.Hosting
{
    /// <summary>
    /// The tests' PowerShell host: it writes what a console shows (formatted output, errors, warnings, verbose) as
    /// text to a writer, and records prompts and progress for the tests to read. It has no keyboard: a prompt is
    /// answered by <see cref="TextHostUserInterface.ChoiceAnswer"/> or fails, as in <c>pwsh -NonInteractive</c>.
    /// What a real console does is checked by the Pester specs, which run in a real pwsh.
    /// </summary>
    public sealed class TextHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();

        /// <summary>Creates a host writing to <paramref name="output"/>.</summary>
        public TextHost(TextWriter output) => Screen = new TextHostUserInterface(output);

        /// <summary>The user interface: what was written, prompts, progress.</summary>
        public TextHostUserInterface Screen { get; }

        /// <summary>The exit code a script asked for with <c>exit</c>.</summary>
        public int? ExitCode { get; private set; }

        /// <inheritdoc />
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        /// <inheritdoc />
        public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");
        /// <inheritdoc />
        public override Guid InstanceId => _id;
        /// <inheritdoc />
        public override string Name => "BookBatchHost";
        /// <inheritdoc />
        public override PSHostUserInterface UI => Screen;
        /// <inheritdoc />
        public override Version Version => typeof(TextHost).Assembly.GetName().Version ?? new Version(1, 0);
        /// <inheritdoc />
        public override void EnterNestedPrompt() => throw new NotSupportedException("The BookBatch host has no nested prompt.");
        /// <inheritdoc />
        public override void ExitNestedPrompt() => throw new NotSupportedException("The BookBatch host has no nested prompt.");
        /// <inheritdoc />
        public override void NotifyBeginApplication() { }
        /// <inheritdoc />
        public override void NotifyEndApplication() { }
        /// <inheritdoc />
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    }

    /// <summary>The text user interface of <see cref="TextHost"/>.</summary>
    public sealed class TextHostUserInterface : PSHostUserInterface
    {
        private readonly TextWriter _output;
        private readonly TextRawUserInterface _raw = new();

        internal TextHostUserInterface(TextWriter output) => _output = output;

        /// <summary>The answer given to choice prompts (an index); null makes a prompt an error, as in a non-interactive session.</summary>
        public int? ChoiceAnswer { get; set; }

        /// <summary>Every choice prompt shown, as "caption: message".</summary>
        public List<string> Prompts { get; } = new();

        /// <summary>Every progress record, in order, when <see cref="RecordProgress"/> is set.</summary>
        public List<ProgressRecord> Progress { get; } = new();

        /// <summary>Keep progress records in <see cref="Progress"/> (tests); a console host would draw them.</summary>
        public bool RecordProgress { get; set; }

        /// <inheritdoc />
        public override PSHostRawUserInterface RawUI => _raw;

        /// <summary>
        /// Write plain text: colour and style escapes removed, as pwsh does when its output goes to a file or a pipe
        /// (PowerShell's formatter adds them; the console host takes them out).
        /// </summary>
        public bool PlainText { get; set; }

        /// <inheritdoc />
        public override bool SupportsVirtualTerminal => !PlainText;

        private static readonly System.Text.RegularExpressions.Regex Escapes = new("\x1b\\[[0-9;?]*[A-Za-z]", System.Text.RegularExpressions.RegexOptions.Compiled);

        private void Append(string value)
        {
            if (PlainText) value = Escapes.Replace(value, string.Empty);
            lock (_output) _output.Write(value);
        }

        /// <inheritdoc />
        public override string ReadLine() => throw NoKeyboard("read a line");
        /// <inheritdoc />
        public override SecureString ReadLineAsSecureString() => throw NoKeyboard("read a password");
        /// <inheritdoc />
        public override void Write(string value) => Append(value);
        /// <inheritdoc />
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        /// <inheritdoc />
        public override void WriteLine(string value) => Append(value + "\n");
        /// <inheritdoc />
        public override void WriteErrorLine(string value) => Append(value + "\n");
        /// <inheritdoc />
        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
        /// <inheritdoc />
        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
        /// <inheritdoc />
        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
        /// <inheritdoc />
        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            if (RecordProgress) lock (Progress) Progress.Add(record);
        }

        /// <inheritdoc />
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw NoKeyboard(message);

        /// <inheritdoc />
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (Prompts) Prompts.Add(caption + ": " + message);
            return ChoiceAnswer ?? throw NoKeyboard(message);
        }

        /// <inheritdoc />
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw NoKeyboard(message);

        /// <inheritdoc />
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NoKeyboard(message);

        private static HostException NoKeyboard(string what) =>
            new($"The BookBatch host is not interactive and cannot prompt ({what}). Answer in the command instead, e.g. -Confirm:$false.",
                null, "HostNotInteractive", ErrorCategory.ResourceUnavailable);
    }

    internal sealed class TextRawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Size BufferSize { get; set; } = new(160, 3000);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new(160, 50);
        public override Size MaxWindowSize => new(160, 50);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new(160, 50);
        public override string WindowTitle { get; set; } = "BookBatch";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new HostException("The BookBatch host is not interactive.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
