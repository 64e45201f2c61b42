using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>A screen size the page must work at: a phone (emulated, touch) or a desktop window.</summary>
public sealed record Viewport(string Name, int Width, int Height, bool Phone)
{
    public static readonly Viewport PhoneSize = new("phone", 390, 844, Phone: true);
    public static readonly Viewport Desktop = new("desktop", 1280, 800, Phone: false);

    public static Viewport Named(string name) => name == PhoneSize.Name ? PhoneSize : Desktop;

    public override string ToString() => Name;
}

/// <summary>An axe-core rule the page breaks, with the elements that break it.</summary>
public sealed record AxeViolation(string Id, string? Impact, string Help, IReadOnlyList<string> Nodes);

/// <summary>
/// Debian's headless Chromium driven by Selenium through Debian's chromedriver at one <see cref="Viewport"/>,
/// with the page checks every test makes: layout, accessibility (axe-core) and a screenshot per step
/// (under <c>TestResults/screenshots/</c> at the repository root).
/// </summary>
public sealed class PageBrowser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriverPath = "/usr/bin/chromedriver";
    private readonly DirectoryInfo _profile;
    private readonly string _screenshots;
    private int _step;

    private PageBrowser(ChromeDriver driver, DirectoryInfo profile, Viewport viewport, string screenshots)
    {
        Driver = driver;
        _profile = profile;
        Viewport = viewport;
        _screenshots = screenshots;
    }

    public ChromeDriver Driver { get; }
    public Viewport Viewport { get; }

    public static PageBrowser Start(Viewport viewport, string journey)
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriverPath), "chromium and chromium-driver are missing: install them with ./test.sh");
        var profile = Directory.CreateTempSubdirectory("wine-browser-");
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}");
        if (viewport.Phone)
        {
            options.EnableMobileEmulation(new ChromiumMobileEmulationDeviceSettings
            {
                Width = viewport.Width, Height = viewport.Height, PixelRatio = 3, EnableTouchEvents = true,
                UserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
            });
        }
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        if (!viewport.Phone)
        {
            // The page's viewport itself, not a window whose frame would take some of it.
            driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
            {
                ["width"] = viewport.Width, ["height"] = viewport.Height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
            });
        }
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(60);
        var screenshots = Path.Combine(NodeServer.RepositoryRoot(), "TestResults", "screenshots", $"{journey}-{viewport.Name}");
        if (Directory.Exists(screenshots))
        {
            Directory.Delete(screenshots, recursive: true);
        }
        Directory.CreateDirectory(screenshots);
        return new PageBrowser(driver, profile, viewport, screenshots);
    }

    public void Open(string url)
    {
        Driver.Navigate().GoToUrl(url);
        // The emulated phone or desktop is really the size under test.
        Assert.Equal($"{Viewport.Width}x{Viewport.Height}", Driver.ExecuteScript("return `${window.innerWidth}x${window.innerHeight}`"));
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    public string Text(string css) => Find(css).Text;

    /// <summary>Waits for the page to reach a state (a generous limit, not a timing under test).</summary>
    public void Until(Func<bool> condition, string what)
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
                Assert.Fail($"the page never got there ({what}); status: '{Text("#status")}', who: '{Text("#who")}'");
            }
            Thread.Sleep(50);
        }
    }

    public void UntilText(string css, string expected) =>
        Until(() => FindAll(css) is [var e] && e.Text.Contains(expected, StringComparison.Ordinal), $"{css} says '{expected}'");

    public void Click(string css) => Retry(css, e => e.Click(), $"{css} clicked");

    public void Type(string css, string text) => Retry(css, e => e.SendKeys(text), $"'{text}' typed into {css}");

    /// <summary>Does <paramref name="act"/> to what <paramref name="css"/> finds, finding it again if the page re-rendered it in between (a stale element).</summary>
    private void Retry(string css, Action<IWebElement> act, string what) => Until(() =>
    {
        act(Find(css));
        return true;
    }, what);

    /// <summary>Keeps what the screen shows now as the journey's next PNG.</summary>
    public void Screenshot(string step)
    {
        _step++;
        Driver.GetScreenshot().SaveAsFile(Path.Combine(_screenshots, $"{_step:D2}-{step}.png"));
    }

    /// <summary>
    /// No horizontal scroll, every visible control at least 44 by 44 CSS pixels, the filters on one row,
    /// and the keyboard focus drawn (Tab twice from the top of the page).
    /// </summary>
    public void AssertLayout()
    {
        var report = (string)Driver.ExecuteScript("""
            const root = document.documentElement;
            const problems = [];
            if (root.scrollWidth > root.clientWidth) problems.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
            for (const e of document.querySelectorAll("a, button, select, textarea, input, summary")) {
              const r = e.getBoundingClientRect();
              if (e.classList.contains("skip") || r.width === 0 || r.height === 0 || e.closest("[hidden]")) continue;
              if (r.width < 44 || r.height < 44) problems.push(`${e.outerHTML.slice(0, 80)} is ${r.width}x${r.height}`);
              if (r.right > root.clientWidth + 0.5) problems.push(`${e.outerHTML.slice(0, 80)} sticks out to ${r.right}`);
            }
            const tops = [...document.querySelectorAll("#filters .field")].map((f) => f.getBoundingClientRect().top);
            if (!document.getElementById("batches").hidden && new Set(tops).size !== 1) problems.push(`the filters wrap: rows at ${tops}`);
            return problems.join("\n");
            """)!;
        Assert.True(report.Length == 0, $"layout at {Viewport}:\n{report}");
        Driver.ExecuteScript("document.activeElement?.blur(); window.scrollTo(0, 0);");
        new OpenQA.Selenium.Interactions.Actions(Driver).SendKeys(Keys.Tab).SendKeys(Keys.Tab).Perform();
        var focus = (string)Driver.ExecuteScript("""
            const e = document.activeElement, s = getComputedStyle(e);
            return `${e.tagName} ${e.id || e.textContent.trim()} ${s.outlineStyle} ${parseFloat(s.outlineWidth)}`;
            """)!;
        Assert.Matches(@"^(A|BUTTON|SELECT|TEXTAREA|SUMMARY) .+ solid [3-9]", focus);
    }

    /// <summary>The browser says the person is there, and lets <paramref name="origin"/> ask (granted, as a person would).</summary>
    public void Locate(string origin, double lat, double lon)
    {
        Driver.ExecuteCdpCommand("Browser.grantPermissions", new Dictionary<string, object?> { ["origin"] = origin, ["permissions"] = new[] { "geolocation" } });
        Driver.ExecuteCdpCommand("Emulation.setGeolocationOverride", new Dictionary<string, object?> { ["latitude"] = lat, ["longitude"] = lon, ["accuracy"] = 10 });
    }

    /// <summary>axe-core over the whole page: no violation of impact serious or critical.</summary>
    public void AssertAccessible(string where)
    {
        Driver.ExecuteScript(File.ReadAllText(AxeScript()));
        var json = (string)Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
              .then((r) => done(JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))))
              .catch((e) => done(JSON.stringify([{ id: "axe-failed", impact: "critical", help: String(e), nodes: [] }])));
            """)!;
        var violations = JsonSerializer.Deserialize<List<AxeViolation>>(json, JsonSerializerOptions.Web)!;
        var serious = violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe at {Viewport}, {where}:\n" +
            string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes)}")));
    }

    private static string AxeScript()
    {
        var script = Path.Combine(NodeServer.RepositoryRoot(), ".test-tools", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(script), $"{script} is missing: ./test.sh installs it (npm install --prefix .test-tools axe-core@4)");
        return script;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _profile.Delete(recursive: true);
    }
}
