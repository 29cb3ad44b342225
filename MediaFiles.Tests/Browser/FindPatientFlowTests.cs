using System.Text.Json;
using MediaFiles.Tests.Support;
using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// Finding the right patient and the right photo: search "marsh h", open Helena Marsh, see a timeline
/// of several days in one grid, filter it to clips, jump to a date; the same grid on a phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FindPatientFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    private static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } };
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true };

    [Fact]
    public async Task Search_open_filter_to_clips_and_jump_to_a_date()
    {
        await using var context = await app.Browser.NewContextAsync(Desktop);
        var page = await BrowserSteps.SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        await Assertions.Expect(page.GetByTestId("current-role")).ToHaveTextAsync("Ward staff");

        // A few entries on several days, made through the API with the page's own cookie.
        var helena = await PatientIdAsync(page, "SEG-104823");
        var now = DateTime.UtcNow;
        await AddPhotoAsync(page, helena, now.AddHours(-1), "Heel, after dressing", "#00796B");
        await AddPhotoAsync(page, helena, now.AddDays(-3), "Heel, day 4", "#1565C0");
        await AddPhotoAsync(page, helena, now.AddDays(-3).AddHours(-2), "Sacrum, day 4", "#6A1B9A");
        await AddClipAsync(page, helena, now.AddDays(-6), "Walking with frame");
        await AddPhotoAsync(page, helena, now.AddDays(-10), "Admission", "#EF6C00");

        // Search by surname and initial, in any order.
        var search = page.GetByTestId("patient-search").Locator("input").Or(page.Locator("input[data-testid=patient-search]"));
        await search.First.FillAsync("marsh h");
        var card = page.GetByTestId("patient-card");
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await Assertions.Expect(card.GetByTestId("patient-mrn")).ToHaveTextAsync("MRN SEG-104823");
        await BrowserSteps.OpenLinkAsync(page, "Helena Marsh");
        await Assertions.Expect(page.GetByTestId("patient-mrn")).ToHaveTextAsync("MRN SEG-104823");

        // One grid: the three days' cards share rows (today's card and day 4's two on the first row).
        var cards = page.Locator(".timeline-cell");
        await Assertions.Expect(cards).ToHaveCountAsync(5);
        await Assertions.Expect(page.GetByTestId("timeline-day")).ToHaveCountAsync(4);
        var first = await cards.Nth(0).BoundingBoxAsync();
        var second = await cards.Nth(1).BoundingBoxAsync();
        Assert.Equal(first!.Y, second!.Y, 1.0);
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "timeline-grid");

        // Only clips.
        await page.GetByTestId("filter-kind-clips").ClickAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        await Assertions.Expect(cards.GetByTestId("video-card")).ToContainTextAsync("Walking with frame");
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "timeline-clips");
        await page.GetByTestId("filter-kind-all").ClickAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(5);

        // A date with nothing on it lands on the nearest earlier day: the clip's.
        await page.GetByTestId("timeline-jump").FillAsync(now.AddDays(-5).ToString("yyyy-MM-dd"));
        var jumped = page.Locator(".timeline-day--jumped");
        await Assertions.Expect(jumped).ToHaveCountAsync(1);
        var jumpedCell = page.Locator(".timeline-cell:has(.timeline-day--jumped)");
        await Assertions.Expect(jumpedCell).ToContainTextAsync("Walking with frame");
        await Assertions.Expect(jumped).ToBeInViewportAsync();
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "timeline-jumped");

        // The same timeline on a phone: two cards a row, the filter bar wraps.
        await using var phoneContext = await app.Browser.NewContextAsync(Phone);
        var phone = await BrowserSteps.SignedInPageAsync(phoneContext, app.BaseUrl, "nurse", $"/patients/{helena}");
        await Assertions.Expect(phone.Locator(".timeline-cell")).ToHaveCountAsync(5);
        var p1 = await phone.Locator(".timeline-cell").Nth(0).BoundingBoxAsync();
        var p2 = await phone.Locator(".timeline-cell").Nth(1).BoundingBoxAsync();
        Assert.Equal(p1!.Y, p2!.Y, 1.0);
        Assert.True(p2.X + p2.Width <= 390, "the second card fits the phone's width");
        await BrowserSteps.ScreenshotAsync(phone, app.ScreenshotDir, "timeline-grid-phone");
    }

    private async Task<string> TokenAsync(IPage page)
    {
        var reply = await page.Context.APIRequest.GetAsync(app.BaseUrl + "/api/antiforgery");
        return (await reply.JsonAsync())!.Value.GetProperty("token").GetString()!;
    }

    private async Task<Guid> PatientIdAsync(IPage page, string search)
    {
        var reply = await page.Context.APIRequest.GetAsync($"{app.BaseUrl}/api/patients?search={Uri.EscapeDataString(search)}");
        return (await reply.JsonAsync())!.Value.EnumerateArray().Single().GetProperty("id").GetGuid();
    }

    private async Task<Guid> UploadAsync(IPage page, byte[] bytes, string fileName, string mime)
    {
        var reply = await page.Context.APIRequest.PostAsync(app.BaseUrl + "/api/uploads", new APIRequestContextOptions
        {
            DataByte = bytes,
            Headers = new Dictionary<string, string>
            {
                ["Content-Type"] = mime,
                ["X-File-Name"] = fileName,
                [SignedInClient.TokenHeader] = await TokenAsync(page),
            },
        });
        Assert.True(reply.Status == 201, $"upload answered {reply.Status}: {await reply.TextAsync()}");
        return (await reply.JsonAsync())!.Value.GetProperty("uploadId").GetGuid();
    }

    private async Task PostJsonAsync(IPage page, string url, object body)
    {
        var reply = await page.Context.APIRequest.PostAsync(app.BaseUrl + url, new APIRequestContextOptions
        {
            DataString = JsonSerializer.Serialize(body, JsonSerializerOptions.Web),
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", [SignedInClient.TokenHeader] = await TokenAsync(page) },
        });
        Assert.True(reply.Status == 201, $"{url} answered {reply.Status}: {await reply.TextAsync()}");
    }

    private async Task AddPhotoAsync(IPage page, Guid patientId, DateTime at, string description, string colour)
    {
        var upload = await UploadAsync(page, BrowserSteps.Jpeg(800, 600, colour), "photo.jpg", "image/jpeg");
        await PostJsonAsync(page, $"/api/patients/{patientId}/photos", new { uploadId = upload, description, eventDateTime = at });
    }

    private async Task AddClipAsync(IPage page, Guid patientId, DateTime at, string caption)
    {
        var clip = await TestClips.H264Mp4Async();
        var upload = await UploadAsync(page, await File.ReadAllBytesAsync(clip.Path), clip.FileName, clip.MimeType);
        await PostJsonAsync(page, $"/api/patients/{patientId}/videos", new { uploadId = upload, caption, eventDateTime = at });
    }
}
