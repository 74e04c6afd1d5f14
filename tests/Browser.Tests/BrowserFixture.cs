using Microsoft.Playwright;

namespace ReturnOps.Browser.Tests;

/// <summary>One gateway process and one headless Chromium (Debian's, never downloaded) for the assembly.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public GatewayProcess Gateway { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Gateway = await GatewayProcess.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // Root needs --no-sandbox; the rest keep Chromium from calling out of this closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A page signed in with <paramref name="token"/>, at <paramref name="hash"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string token, string hash, int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Gateway.Address.ToString());
        await page.EvaluateAsync("t => sessionStorage.setItem('returnops.token', t)", token);
        await page.GotoAsync(new Uri(Gateway.Address, "/" + hash).ToString());
        return page;
    }

    /// <summary>
    /// Where a test's screenshot goes: <c>TestResults/screenshots</c> (ignored), so that running the tests leaves the tree
    /// clean; the committed ones in <c>docs/screenshots</c> are refreshed on purpose with <c>RETURNOPS_REFRESH_SCREENSHOTS=1</c> (README).
    /// </summary>
    public static string ScreenshotPath(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReturnOps.sln")))
        {
            directory = directory.Parent;
        }
        var screenshots = Environment.GetEnvironmentVariable("RETURNOPS_REFRESH_SCREENSHOTS") == "1"
            ? Path.Combine(directory!.FullName, "docs", "screenshots")
            : Path.Combine(directory!.FullName, "TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);
        return Path.Combine(screenshots, name + ".png");
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
    }
}
