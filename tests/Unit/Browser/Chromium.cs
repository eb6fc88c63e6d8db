using System;
using System.IO;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit;

namespace BookBatch.Tests.Browser
{
    /// <summary>
    /// A test that needs the system's headless Chromium and its chromedriver (Debian: chromium, chromium-driver; CI
    /// installs them). Where they are missing it is skipped, with the reason — but never in CI (the CI variable set):
    /// there it runs and fails, saying what to install.
    /// </summary>
    public sealed class BrowserFactAttribute : FactAttribute
    {
        public BrowserFactAttribute()
        {
            if (Chromium.Missing is string missing && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
                Skip = $"No headless browser here ({missing}): install Debian's chromium and chromium-driver. In CI this test fails instead.";
        }
    }

    /// <summary>The system's Chromium, driven through its chromedriver by Selenium; nothing is downloaded.</summary>
    public static class Chromium
    {
        /// <summary>The browser: $env:BOOKBATCH_CHROMIUM, else /usr/bin/chromium.</summary>
        public static readonly string Browser = Environment.GetEnvironmentVariable("BOOKBATCH_CHROMIUM") ?? "/usr/bin/chromium";

        /// <summary>The driver: $env:BOOKBATCH_CHROMEDRIVER, else /usr/bin/chromedriver.</summary>
        public static readonly string Driver = Environment.GetEnvironmentVariable("BOOKBATCH_CHROMEDRIVER") ?? "/usr/bin/chromedriver";

        /// <summary>What is missing, or null.</summary>
        public static string? Missing =>
            !File.Exists(Browser) ? Browser + " is missing" : !File.Exists(Driver) ? Driver + " is missing" : null;

        /// <summary>Where the browser tests leave their screenshots: out/TestResults.</summary>
        public static string ResultsFolder => Directory.CreateDirectory(Path.Combine(Hosting.ModuleAssembly.RepositoryRoot, "out", "TestResults")).FullName;

        /// <summary>Starts a headless browser with a window of the given size, logging the network requests of its pages.</summary>
        public static ChromeDriver Start(int width = 1280, int height = 1000)
        {
            if (Missing is string missing) throw new InvalidOperationException($"The browser tests need headless Chromium: {missing}. Install Debian's chromium and chromium-driver (.ci/run does).");
            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
            service.HideCommandPromptWindow = true;
            service.SuppressInitialDiagnosticInformation = true;
            var options = new ChromeOptions { BinaryLocation = Browser };
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}",
                "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update");
            options.SetLoggingPreference("performance", LogLevel.All);
            return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }

        /// <summary>Saves what the browser shows as a PNG in out/TestResults; returns the path.</summary>
        public static string Screenshot(IWebDriver driver, string name)
        {
            var path = Path.Combine(ResultsFolder, name);
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
            return path;
        }
    }
}
