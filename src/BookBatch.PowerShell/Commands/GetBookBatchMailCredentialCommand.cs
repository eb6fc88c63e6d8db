using System;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Credentials;

namespace BookBatch.Commands
{
    /// <summary>Lists the mail logins whose password is stored for the current user: server, user name and when — never the password.</summary>
    [Cmdlet(VerbsCommon.Get, "BookBatchMailCredential")]
    [OutputType(typeof(StoredMailLogin))]
    public sealed class GetBookBatchMailCredentialCommand : BookBatchCmdlet
    {
        /// <summary>Only the logins of this server.</summary>
        [Parameter(Position = 0)]
        public string? Server { get; set; }

        /// <summary>Only the logins of this user name.</summary>
        [Parameter]
        public string? UserName { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var logins = MailCredentialStore.ForCurrentUser().List()
                .Where(l => Server is null || string.Equals(l.Server, Server.Trim(), StringComparison.OrdinalIgnoreCase))
                .Where(l => UserName is null || l.UserName == UserName);
            foreach (var login in logins) WriteObject(login);
        }
    }
}
