using MediaFiles.Tests.Support;
using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>An iPhone photo (HEIC) dropped on a patient: accepted, and its row shows the server's thumbnail.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HeicUploadFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task A_heic_photo_is_added_and_its_row_shows_the_servers_thumbnail()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await BrowserSteps.SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        await BrowserSteps.OpenLinkAsync(page, "Helena Marsh");

        // The drop zone says it takes HEIC, and the picker offers it.
        var zone = page.Locator("[data-testid=drop-target][data-upload-ready=true]");
        await Assertions.Expect(zone).ToBeVisibleAsync();
        await Assertions.Expect(zone).ToContainTextAsync("JPEG, PNG, WebP, HEIC or AVIF photos");
        var accept = await page.GetByTestId("file-input").GetAttributeAsync("accept");
        Assert.Contains(".heic", accept);
        Assert.Contains("image/heic", accept);

        var heic = await TestHeic.CreateAsync(irotQuarterTurnsAnticlockwise: 1, exifOrientation: 6, seed: 21);
        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]", new BrowserSteps.DroppedFile(heic, "IMG_0042.HEIC", "image/heic"));

        var item = page.GetByTestId("upload-item");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-state", "added");
        // The row's preview is the server's JPEG thumbnail (a browser cannot show HEIC itself), upright: 96 × 128.
        var preview = item.Locator("img.upload-thumb");
        await BrowserSteps.ExpectLoadedAsync(preview, 96);
        Assert.Equal(128, await preview.EvaluateAsync<int>("i => i.naturalHeight"));

        var thumbnail = page.GetByTestId("photo-card").First.GetByTestId("photo-thumbnail");
        await BrowserSteps.ExpectLoadedAsync(thumbnail, 96);
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "heic-upload");
    }
}
