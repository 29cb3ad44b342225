using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>The viewer on a phone: swipe between photos, zoom that never shrinks a small photo (its own app, so the flag flow's feed starts empty).</summary>
[Collection(BrowserCollection.Name)]
public sealed class LightboxSwipeFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true };

    [Fact]
    public async Task In_the_viewer_a_swipe_steps_and_zoom_never_shows_a_small_photo_smaller_than_fitted()
    {
        await using var nurseContext = await app.Browser.NewContextAsync(Phone);
        var nurse = await BrowserSteps.SignedInPageAsync(nurseContext, app.BaseUrl, "nurse", "/patients");
        await BrowserSteps.OpenLinkAsync(nurse, "Helena Marsh");
        await Assertions.Expect(nurse.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();
        // Two small photos dropped as one series; its page has the viewer.
        await nurse.GetByTestId("upload-mode").GetByText("One series", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await BrowserSteps.DropFilesAsync(nurse, "[data-testid=drop-target]",
            new BrowserSteps.DroppedFile(BrowserSteps.Jpeg(200, 150, "#1565C0", "#FFCC80"), "a.jpg", "image/jpeg"),
            new BrowserSteps.DroppedFile(BrowserSteps.Jpeg(200, 150, "#2E7D32", "#FFCC80"), "b.jpg", "image/jpeg"));
        await nurse.GetByTestId("create-series").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("photo-card")).ToHaveCountAsync(1);
        await nurse.GetByTestId("photo-card").ClickAsync();
        await BrowserSteps.WaitInteractiveAsync(nurse);
        await nurse.GetByTestId("series-item").First.Locator("button.series-tile-media").ClickAsync();
        var lightbox = nurse.GetByTestId("lightbox");
        await Assertions.Expect(lightbox.GetByTestId("lightbox-counter")).ToHaveTextAsync("1 of 2");
        await Assertions.Expect(lightbox.GetByTestId("lightbox-patient")).ToHaveTextAsync("Helena Marsh");
        var image = lightbox.GetByTestId("lightbox-image");
        await BrowserSteps.ExpectLoadedAsync(image);
        var fitted = (await image.BoundingBoxAsync())!;

        // Zoom: the original (200 px wide) is never drawn smaller than the fitted view.
        await lightbox.GetByTestId("lightbox-zoom").ClickAsync();
        await Assertions.Expect(image).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("/original$"));
        await BrowserSteps.ExpectLoadedAsync(image);
        var zoomed = (await image.BoundingBoxAsync())!;
        Assert.True(zoomed.Width >= fitted.Width - 1, $"zoomed {zoomed.Width} px, fitted {fitted.Width} px");
        await lightbox.GetByTestId("lightbox-zoom").ClickAsync();

        // A horizontal swipe (pointer events from a touch) goes to the next photo.
        var stage = lightbox.GetByTestId("lightbox-stage");
        var at = (await stage.BoundingBoxAsync())!;
        int y = (int)(at.Y + at.Height / 2), x0 = (int)(at.X + at.Width * 0.8f), x1 = (int)(at.X + at.Width * 0.2f);
        await stage.DispatchEventAsync("pointerdown", new { pointerId = 7, pointerType = "touch", isPrimary = true, clientX = x0, clientY = y, bubbles = true });
        await stage.DispatchEventAsync("pointermove", new { pointerId = 7, pointerType = "touch", isPrimary = true, clientX = (x0 + x1) / 2, clientY = y, bubbles = true });
        await stage.DispatchEventAsync("pointerup", new { pointerId = 7, pointerType = "touch", isPrimary = true, clientX = x1, clientY = y + 4, bubbles = true });
        await Assertions.Expect(lightbox.GetByTestId("lightbox-counter")).ToHaveTextAsync("2 of 2");
        await BrowserSteps.ScreenshotAsync(nurse, app.ScreenshotDir, "lightbox-phone-swiped");
    }
}
