using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Http;
using BookBatch.Engine.Dashboard;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Start-BookBatchDashboard.Tests.ps1, and what a browser elsewhere must not get.</summary>
    public class StartBookBatchDashboardSpecTests
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

        private static string Get(string url)
        {
            using var response = Http.Send(new HttpRequestMessage(HttpMethod.Get, url));
            return new System.IO.StreamReader(response.Content.ReadAsStream()).ReadToEnd();
        }

        private static int Status(string url, string? bearer = null, string? host = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (bearer != null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            if (host != null) request.Headers.Host = host;
            try { using var response = Http.Send(request); return (int)response.StatusCode; }
            catch (HttpRequestException) { return 0; } // nothing answers
        }

        [Fact]
        public void ServesThePageOfTheWorkspaceOnLocalhostOnAFreePortUntilStopped()
        {
            using var session = new PowerShellSession();
            var dashboard = session.Run("Start-BookBatchDashboard").Succeeded().Objects<BookBatchDashboard>().Single();
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", dashboard.Url);
            Assert.Contains("BookBatch dashboard", Get(dashboard.Url));
            Assert.Contains(session.Folder.Replace("\\", "\\\\"), Get(dashboard.Url + "snapshot.json"));

            session.RunWithInput("$input | Stop-BookBatchDashboard", new object[] { dashboard }).Succeeded();
            Assert.False(dashboard.Running);
            Assert.Equal(0, Status(dashboard.Url));
        }

        [Fact]
        public void RefusesAnAddressOtherMachinesReachWithoutAnAccessToken()
        {
            using var session = new PowerShellSession();
            var error = session.Throws("Start-BookBatchDashboard -ListenAddress 0.0.0.0");
            Assert.NotNull(error);
            Assert.Equal("DashboardAccessTokenRequired", error!.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Equal("0.0.0.0", error.TargetObject);
            Assert.Contains("-AccessToken", error.Exception.Message);
            Assert.Empty(session.Run("Stop-BookBatchDashboard -PassThru").Succeeded().Output);
        }

        [Fact]
        public void WithAnAccessTokenAnswersOnlyTheRequestsThatCarryIt()
        {
            using var session = new PowerShellSession();
            var dashboard = session.Run("Start-BookBatchDashboard -AccessToken s3cret-token").Succeeded().Objects<BookBatchDashboard>().Single();
            try
            {
                var bare = dashboard.Url.Split('?')[0];
                Assert.EndsWith("?token=s3cret-token", dashboard.Url);
                Assert.Equal(401, Status(bare));
                Assert.Equal(401, Status(bare + "events?token=wrong"));
                Assert.Equal(200, Status(dashboard.Url));
                Assert.Equal(200, Status(bare + "snapshot.json", bearer: "s3cret-token"));
            }
            finally { session.Run("Stop-BookBatchDashboard").Succeeded(); }
        }

        [Fact]
        public void OnLocalhostAnswersOnlyRequestsAddressedToLocalhost()
        {
            // A page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding) sends that name as Host.
            using var session = new PowerShellSession();
            var dashboard = session.Run("Start-BookBatchDashboard").Succeeded().Objects<BookBatchDashboard>().Single();
            try
            {
                Assert.InRange(Status(dashboard.Url + "snapshot.json", host: "attacker.example:" + dashboard.Port), 400, 499);
                Assert.Equal(200, Status(dashboard.Url + "snapshot.json", host: "localhost:" + dashboard.Port));
            }
            finally { session.Run("Stop-BookBatchDashboard").Succeeded(); }
        }

        [Fact]
        public void StopsWhenTheRunspaceThatStartedItCloses()
        {
            using var session = new PowerShellSession();
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            BookBatchDashboard dashboard;
            using (var ps = PowerShell.Create())
            {
                ps.Runspace = runspace;
                ps.AddScript("Import-Module $args[0]; Start-BookBatchDashboard -Workspace $args[1]").AddArgument(ModuleAssembly.Manifest).AddArgument(session.Folder);
                dashboard = (BookBatchDashboard)ps.Invoke().Single().BaseObject;
            }
            Assert.Equal(200, Status(dashboard.Url));
            runspace.Close();
            Assert.False(dashboard.Running);
            Assert.Equal(0, Status(dashboard.Url));
        }

        [Fact]
        public void ChangesNothingInTheWorkspaceAndSeesTheFirstBatchItsOpeningDidNotFind()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("bookbatch.json"), "{\"delaySeconds\": 0, \"stages\": [{\"name\": \"only\", \"command\": \"true\"}]}");
            var dashboard = session.Run("Start-BookBatchDashboard").Succeeded().Objects<BookBatchDashboard>().Single();
            try
            {
                Thread.Sleep(300);
                Assert.Equal(new[] { "bookbatch.json" }, Directory.EnumerateFileSystemEntries(session.Folder).Select(Path.GetFileName));
                var id = (string)session.Run("('First' | Invoke-BookBatch -Confirm:$false).BatchId").Succeeded().Output.Single().BaseObject;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!Get(dashboard.Url + "snapshot.json").Contains(id) && clock.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(50);
                Assert.Contains(id, Get(dashboard.Url + "snapshot.json"));
            }
            finally { session.Run("Stop-BookBatchDashboard").Succeeded(); }
        }

        [Fact]
        public void WithWaitRunsInTheForegroundUntilTheCommandIsStopped()
        {
            using var session = new PowerShellSession();
            using var ps = PowerShell.Create();
            ps.Runspace = session.Runspace;
            ps.AddScript("Start-BookBatchDashboard -Wait");
            var output = new PSDataCollection<PSObject>();
            var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (output.Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
            var dashboard = (BookBatchDashboard)output.Single().BaseObject;
            Assert.Equal(200, Status(dashboard.Url));
            Assert.False(running.IsCompleted);
            Assert.Contains("Ctrl+C stops it", session.ScreenText);

            ps.Stop(); // what Ctrl+C does
            Assert.False(dashboard.Running);
            Assert.Equal(0, Status(dashboard.Url));
        }

        [Fact]
        public void StopByAPortOfNoDashboardIsAnError()
        {
            using var session = new PowerShellSession();
            var result = session.Run("Stop-BookBatchDashboard -Port 65432");
            Assert.Equal("DashboardNotFound", Assert.Single(result.ErrorIds));
        }
    }
}
