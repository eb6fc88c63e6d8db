using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Settings;

namespace BookBatch.Module
{
    /// <summary>The check of a -MailTo (Invoke-BookBatch, Register-BookBatchSchedule): addresses, and a mail target to send through.</summary>
    internal static class MailRecipients
    {
        /// <summary>The error of a -MailTo that cannot be sent, or null; <paramref name="notDone"/> says what was not done ("Nothing was run").</summary>
        public static ErrorRecord? Check(string[] mailTo, PipelineSettings settings, string notDone)
        {
            if (mailTo.Length == 0) return null;
            if (mailTo.FirstOrDefault(a => !MailSettings.IsAddress(a)) is string bad)
                return Errors.Record(ErrorIds.MailRecipientInvalid, ErrorCategory.InvalidArgument,
                    $"'{bad}' is not a mail address such as ops@example.com. {notDone}; name each recipient by its address alone.", bad);
            if (!settings.Notifications.HasMail)
                return Errors.Record(ErrorIds.MailTargetMissing, ErrorCategory.ObjectNotFound,
                    $"-MailTo needs an \"email\" target in the \"notifications\" of {settings.Path}: its SMTP server, port, security and sender. " +
                    $"{notDone}; add one (README, Notifications), then try again.", settings.Path);
            return null;
        }
    }
}
