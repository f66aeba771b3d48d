using Microsoft.Playwright;

namespace JisuDai.Standalone.Tests.Console;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>) driven by Playwright, which downloads no
/// browser of its own. The flags keep it off the network: this machine refuses every outside connection.
/// </summary>
internal static class ConsoleBrowser
{
    public const string Chromium = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), $"The browser tests need Chromium at {Chromium} (Debian's package chromium; .ci/run installs it).");
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>The input a page marked <c>data-test=<paramref name="name"/></c>: Element Plus puts the mark on the input or on its wrapper.</summary>
    public static ILocator Field(IPage page, string name) => page.Locator($"input[data-test={name}], [data-test={name}] input, textarea[data-test={name}], [data-test={name}] textarea").First;

    /// <summary>The element a page marked <c>data-test=<paramref name="name"/></c>.</summary>
    public static ILocator Marked(IPage page, string name) => page.Locator($"[data-test={name}]");

    /// <summary>Saves a screenshot for docs/console.md when JISUDAI_CONSOLE_SCREENSHOTS names a folder (never in CI).</summary>
    public static async Task ShootAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("JISUDAI_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.WaitForTimeoutAsync(800); // drawers slide in and charts animate
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
        }
    }
}
