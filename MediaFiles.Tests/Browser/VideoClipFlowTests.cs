using System.Diagnostics;
using Microsoft.Playwright;
using static MediaFiles.Tests.Browser.BrowserSteps;

namespace MediaFiles.Tests.Browser;

/// <summary>A clip, once, in a real browser: upload, poster on the timeline, playback on its page.</summary>
[Collection(MediaFiles.Tests.Browser.BrowserCollection.Name)]
public sealed class VideoClipFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task Nurse_uploads_a_clip_sees_its_poster_and_plays_it_on_its_page()
    {
        var clip = await MakeClipAsync();
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        await OpenLinkAsync(page, "Pieter de Vries");
        await Assertions.Expect(page.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();

        await DropFilesAsync(page, "[data-testid=drop-target]", new DroppedFile(clip, "gait.mp4", "video/mp4"));
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=added]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        // The poster is on the timeline, with the duration.
        var card = page.GetByTestId("video-card").First;
        await Assertions.Expect(card.GetByTestId("video-duration")).ToHaveTextAsync("0:03");
        await BrowserSteps.ExpectLoadedAsync(card.GetByTestId("photo-thumbnail"));
        await ScreenshotAsync(page, app.ScreenshotDir, "21-video-on-timeline");

        // The card opens the clip's page, where it plays.
        await card.ClickAsync();
        await page.WaitForURLAsync("**/videos/**");
        var player = page.GetByTestId("video-player");
        await Assertions.Expect(player).ToBeVisibleAsync();
        await player.EvaluateAsync("v => v.play()");
        await page.WaitForFunctionAsync("v => v.currentTime > 0.5", await player.ElementHandleAsync(), new() { Timeout = 30_000 });
        await ScreenshotAsync(page, app.ScreenshotDir, "22-video-playing");
    }

    /// <summary>A 3 s H.264 clip made with ffmpeg's test pattern, without sound so it may autoplay.</summary>
    private static async Task<byte[]> MakeClipAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mf-clip-{Guid.NewGuid():N}.mp4");
        try
        {
            using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
                $"-v error -f lavfi -i testsrc=duration=3:size=640x360:rate=25 -c:v libx264 -pix_fmt yuv420p -movflags +faststart -y {path}")
            { RedirectStandardError = true })!;
            await ffmpeg.WaitForExitAsync();
            Assert.Equal(0, ffmpeg.ExitCode);
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
