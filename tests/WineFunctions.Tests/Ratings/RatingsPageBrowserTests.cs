using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>The web page in a real browser: Debian's headless Chromium driven by Selenium through Debian's chromedriver.</summary>
public sealed class RatingsPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    [Fact]
    public async Task A_customer_signs_in_opens_a_batch_rates_it_and_sees_the_summary_change_and_a_taster_sees_the_scoring_form()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), "chromium and chromium-driver are missing: install them with ./test.sh");
        await using var lake = await LakeStore.FolderAsync();
        var batches = await RatingsLakeSeed.SeedAsync(lake.Store, batches: 4);
        var folder = Directory.CreateTempSubdirectory("wine-browser-");
        try
        {
            await using var app = await RatingsApp.StartAsync(lake.Store, new RatingsDatabase { ConnectionString = $"Data Source={Path.Combine(folder.FullName, "ratings.db")}" });
            using var browser = Start(Path.Combine(folder.FullName, "profile"));
            browser.Navigate().GoToUrl(app.Server.Url + "/web/");

            SignIn(browser, app.Issuer.CustomerToken("alice"));
            Until(browser, () => browser.FindElement(By.Id("who")).Text.Contains("alice (customer)", StringComparison.Ordinal));
            var batch = batches[1].BatchId;
            Until(browser, () => browser.FindElements(By.CssSelector($"a[data-batch='{batch}']")).Count == 1);
            browser.FindElement(By.CssSelector($"a[data-batch='{batch}']")).Click();
            Until(browser, () => browser.FindElement(By.Id("card-summary")).Text.StartsWith("no ratings yet", StringComparison.Ordinal));
            Assert.True(browser.FindElement(By.Id("rate-form")).Displayed);
            Assert.False(browser.FindElement(By.Id("score-form")).Displayed);

            browser.FindElement(By.CssSelector("label[for='stars-4']")).Click();
            browser.FindElement(By.Id("rate-note")).SendKeys("Fresh and fruity");
            browser.FindElement(By.Id("rate-submit")).Click();
            Until(browser, () => browser.FindElement(By.Id("card-summary")).Text.StartsWith("1 ratings, average 4.00 stars", StringComparison.Ordinal));
            await app.FlushLakeAsync();
            var stored = await lake.Store.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None).ToListAsync();
            var rating = Opinions.Ratings.Read((await lake.Store.GetAsync(Assert.Single(stored).Key, CancellationToken.None))!.Content)!;
            Assert.Equal(("alice", batch, 4, "Fresh and fruity"), (rating.CustomerId, rating.BatchId, rating.Stars, rating.Note));

            SignIn(browser, app.Issuer.TasterToken("tom"));
            Until(browser, () => browser.FindElement(By.Id("score-form")).Displayed);
            Assert.False(browser.FindElement(By.Id("rate-form")).Displayed);
            browser.FindElement(By.Id("score")).SendKeys("7");
            browser.FindElement(By.Id("score-submit")).Click();
            Until(browser, () => browser.FindElement(By.Id("card-summary")).Text.Contains("tasters' median 7 of 10", StringComparison.Ordinal));

            // What is not a token is refused in the page and said so in the status line.
            SignIn(browser, "not.a.token");
            Until(browser, () => browser.FindElement(By.Id("status")).Text.Contains("not a token", StringComparison.Ordinal));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static ChromeDriver Start(string profile)
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static void SignIn(IWebDriver browser, string token)
    {
        var field = browser.FindElement(By.Id("token"));
        field.Clear();
        field.SendKeys(token);
        browser.FindElement(By.Id("sign-in")).Click();
    }

    /// <summary>Waits for the page to reach a state (a generous limit, not a timing under test).</summary>
    private static void Until(IWebDriver browser, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the page never got there; status: '{browser.FindElement(By.Id("status")).Text}'");
            }
            Thread.Sleep(50);
        }
    }
}
