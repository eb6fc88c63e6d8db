using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace BookBatch.Tests.Hosting
{
    /// <summary>A console-like host: records what a user would see (formatted output, prompts, progress).</summary>
    public sealed class TestHost : PSHost
    {
        private readonly TestHostUserInterface _ui = new();
        private readonly Guid _id = Guid.NewGuid();

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override Guid InstanceId => _id;
        public override string Name => "BookBatchTestHost";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => new(1, 0);
        public TestHostUserInterface Screen => _ui;
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }
    }

    public sealed class TestHostUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();
        private readonly TestRawUI _raw = new();

        /// <summary>Everything written to the screen.</summary>
        public string Text { get { lock (_text) return _text.ToString(); } }

        /// <summary>The screen without colour: what a user reads.</summary>
        public string PlainText => System.Text.RegularExpressions.Regex.Replace(Text, "\x1b\\[[0-9;]*m", string.Empty);

        /// <summary>Every progress record, in order.</summary>
        public List<ProgressRecord> Progress { get; } = new();

        /// <summary>Every choice prompt shown (caption and message).</summary>
        public List<string> Prompts { get; } = new();

        /// <summary>The answer given to choice prompts (an index), or null to fail the test if one is shown.</summary>
        public int? ChoiceAnswer { get; set; }

        public override PSHostRawUserInterface RawUI => _raw;

        public void Clear() { lock (_text) _text.Clear(); }

        private void Append(string value) { lock (_text) _text.Append(value); }

        public override string ReadLine() => throw new InvalidOperationException("The test host has no keyboard.");
        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("The test host has no keyboard.");
        public override void Write(string value) => Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        public override void WriteLine(string value) => Append(value + "\n");
        public override void WriteErrorLine(string value) => Append("ERROR: " + value + "\n");
        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) { lock (Progress) Progress.Add(record); }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("The test host has no keyboard: " + message);

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + ": " + message);
            return ChoiceAnswer ?? throw new InvalidOperationException("Unexpected prompt: " + message);
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("The test host has no keyboard.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("The test host has no keyboard.");
    }

    internal sealed class TestRawUI : PSHostRawUserInterface
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
        public override string WindowTitle { get; set; } = "BookBatch tests";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("The test host has no keyboard.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
