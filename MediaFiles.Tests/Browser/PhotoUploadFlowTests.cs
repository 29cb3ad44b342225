using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>The ward nurse's main flow, once, in a real browser.</summary>
[Collection(MediaFiles.Tests.Browser.BrowserCollection.Name)]
public sealed class PhotoUploadFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task Nurse_drops_a_photo_and_sees_it_on_the_timeline_then_opens_it()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        // The page CSP must not block anything the app itself needs.
        var cspViolations = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) cspViolations.Add(message.Text); };

        // Sign in through the development picker.
        await page.GotoAsync($"{app.BaseUrl}/patients");
        await Assertions.Expect(page.GetByTestId("dev-signin-warning")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("01-signin"), FullPage = true });
        await page.GetByTestId("signin-nurse").ClickAsync();

        // Back on the patient list it asked for; open a patient.
        await page.WaitForURLAsync($"{app.BaseUrl}/patients");
        await BrowserSteps.WaitInteractiveAsync(page);
        var card = page.GetByTestId("patient-card").Filter(new LocatorFilterOptions { HasText = "Helena Marsh" });
        await Assertions.Expect(card).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("02-patients"), FullPage = true });
        await BrowserSteps.OpenLinkAsync(page, "Helena Marsh");
        await Assertions.Expect(page.GetByTestId("patient-name")).ToHaveTextAsync("Helena Marsh");
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No photos yet");

        // The drop zone is live once the upload module has attached.
        var zone = page.Locator("[data-testid=drop-target][data-upload-ready=true]");
        await Assertions.Expect(zone).ToBeVisibleAsync();
        await page.GetByLabel("Description (optional)").FillAsync("Left heel pressure ulcer");
        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]", new BrowserSteps.DroppedFile(BrowserSteps.Jpeg(1600, 1200), "heel.jpg", "image/jpeg"));

        var item = page.GetByTestId("upload-item");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-state", "added");
        await Assertions.Expect(item.GetByTestId("upload-state")).ToHaveTextAsync("Added");

        // The timeline shows it, as a thumbnail that really loaded.
        var thumbnail = page.GetByTestId("photo-card").First.GetByTestId("photo-thumbnail");
        await Assertions.Expect(thumbnail).ToBeVisibleAsync();
        await BrowserSteps.ExpectLoadedAsync(thumbnail, 200);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("03-patient-with-photo"), FullPage = true });

        // A refused file gets its reason, and the good one stays.
        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]", new BrowserSteps.DroppedFile("GIF89a\u0001\u0000\u0001\u0000"u8.ToArray(), "scan.gif", "image/gif"));
        var refused = page.Locator("[data-testid=upload-item][data-state=refused]");
        await Assertions.Expect(refused.GetByTestId("upload-message")).ToHaveTextAsync("GIF is not accepted: save it as PNG or JPEG.");
        await Assertions.Expect(page.GetByTestId("photo-card")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("04-refused"), FullPage = true });

        // Open the detail view: the large variant, its dimensions, the download link.
        await page.GetByTestId("photo-card").First.ClickAsync();
        var large = page.GetByTestId("photo-large");
        await Assertions.Expect(large).ToBeVisibleAsync();
        await BrowserSteps.ExpectLoadedAsync(large, 1200);
        await Assertions.Expect(page.GetByTestId("photo-dimensions")).ToHaveTextAsync("1600 × 1200 px");
        await Assertions.Expect(page.GetByTestId("download-original")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/media/.+/original\\?download=true$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("05-detail"), FullPage = true });
        Assert.Empty(cspViolations);
    }

    private string Shot(string name) => Path.Combine(app.ScreenshotDir, name + ".png");
}
