namespace BookBatch.Engine.Schedules
{
    /// <summary>A file a registration writes (or deletes, when its text is null).</summary>
    public sealed class ScheduleFile
    {
        internal ScheduleFile(string path, string? text, bool utf16 = false)
        {
            Path = path;
            Text = text;
            Utf16 = utf16;
        }

        /// <summary>The file.</summary>
        public string Path { get; }
        /// <summary>Its new text; null: the file is deleted.</summary>
        public string? Text { get; }
        /// <summary>Written as UTF-16 (Task Scheduler XML), else UTF-8.</summary>
        public bool Utf16 { get; }
    }
}
