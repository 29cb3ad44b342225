using ImageMagick;
using ImageMagick.Drawing;
using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>Steps the browser tests share: sign in, drop files, make photos.</summary>
internal static class BrowserSteps
{
    public static async Task<IPage> SignedInPageAsync(IBrowserContext context, string baseUrl, string subject, string path)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync($"{baseUrl}{path}");
        await page.GetByTestId($"signin-{subject}").ClickAsync();
        await page.WaitForURLAsync($"{baseUrl}{path}");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Clicks before the circuit has taken over a prerendered page can be lost: wait for it.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);

    /// <summary>Follows a link and waits until the new page is interactive.</summary>
    public static async Task OpenLinkAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = name, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
    }

    /// <summary>
    /// Waits until the image really loaded at this natural width. Polls through the locator, so an
    /// element Blazor re-renders in the meantime is found again (an element handle would go stale).
    /// </summary>
    public static Task ExpectLoadedAsync(ILocator image, int naturalWidth) =>
        Assertions.Expect(image).ToHaveJSPropertyAsync("naturalWidth", naturalWidth, new() { Timeout = 30_000 });

    /// <summary>Waits until the image loaded at all (a poster of unknown width).</summary>
    public static Task ExpectLoadedAsync(ILocator image) =>
        Assertions.Expect(image).Not.ToHaveJSPropertyAsync("naturalWidth", 0, new() { Timeout = 30_000 });

    public sealed record DroppedFile(byte[] Bytes, string Name, string Type);

    /// <summary>A real drop: a DataTransfer holding Files, dispatched as dragenter/dragover/drop.</summary>
    public static Task DropFilesAsync(IPage page, string selector, params DroppedFile[] files) =>
        page.EvaluateAsync(@"([selector, files]) => {
            const dt = new DataTransfer();
            for (const f of files) {
                const bytes = Uint8Array.from(atob(f.b64), c => c.charCodeAt(0));
                dt.items.add(new File([bytes], f.name, { type: f.type }));
            }
            const zone = document.querySelector(selector);
            for (const kind of ['dragenter', 'dragover', 'drop'])
                zone.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: dt }));
        }", new object[] { selector, files.Select(f => new { b64 = Convert.ToBase64String(f.Bytes), name = f.Name, type = f.Type }).ToArray() });

    public static byte[] Jpeg(uint width, uint height, string from = "#00796B", string to = "#F4B183", string mark = "white")
    {
        using var image = new MagickImage($"gradient:{from}-{to}", width, height);
        new Drawables().FillColor(new MagickColor(mark)).Circle(width / 2.0, height / 2.0, width / 2.0 + height / 8.0, height / 2.0).Draw(image);
        image.Format = MagickFormat.Jpeg;
        image.Quality = 85;
        return image.ToByteArray();
    }

    public static Task ScreenshotAsync(IPage page, string dir, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
}
