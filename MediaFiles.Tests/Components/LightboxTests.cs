using Bunit;
using MediaFiles.Web.Components.Media;
using Microsoft.AspNetCore.Components.Web;

namespace MediaFiles.Tests.Components;

/// <summary>The full-screen viewer: "k of n", the keys, prefetch of the next photo, zoom, close.</summary>
public sealed class LightboxTests : ComponentTestContext
{
    private readonly List<int> _indexes = [];
    private readonly List<bool> _opens = [];

    private static List<Lightbox.LightboxPhoto> Photos(int count) =>
        Enumerable.Range(1, count).Select(i => new Lightbox.LightboxPhoto(Guid.NewGuid(), $"Photo {i}")).ToList();

    private IRenderedComponent<Lightbox> RenderLightbox(IReadOnlyList<Lightbox.LightboxPhoto> photos, int index, bool open = true) =>
        Render<Lightbox>(p => p
            .Add(l => l.Photos, photos)
            .Add(l => l.Open, open)
            .Add(l => l.Index, index)
            .Add(l => l.IndexChanged, (int i) => _indexes.Add(i))
            .Add(l => l.OpenChanged, (bool o) => _opens.Add(o)));

    private static string Counter(IRenderedComponent<Lightbox> cut) => cut.Find("[data-testid=lightbox-counter]").TextContent.Trim();

    private static string? ShownMediaId(IRenderedComponent<Lightbox> cut) => cut.Find("[data-testid=lightbox-image]").GetAttribute("data-media-id");

    private static string? ImageSrc(IRenderedComponent<Lightbox> cut) => cut.Find("[data-testid=lightbox-image]").GetAttribute("src");

    private static void Press(IRenderedComponent<Lightbox> cut, string key) =>
        cut.Find("[data-testid=lightbox]").KeyDown(new KeyboardEventArgs { Key = key });

    /// <summary>The counter, the image and its caption all show photo <paramref name="index"/> (0-based).</summary>
    private static void AssertShows(IRenderedComponent<Lightbox> cut, IReadOnlyList<Lightbox.LightboxPhoto> photos, int index)
    {
        Assert.Equal($"{index + 1} of {photos.Count}", Counter(cut));
        Assert.Equal(photos[index].MediaFileId.ToString(), ShownMediaId(cut));
        Assert.Equal($"/media/{photos[index].MediaFileId}/large", ImageSrc(cut));
        Assert.Equal(photos[index].Caption, cut.Find(".lightbox-caption").TextContent.Trim());
    }

    [Fact]
    public void Opens_at_the_given_index_showing_k_of_n_and_that_image_and_takes_the_focus()
    {
        var photos = Photos(8);

        var cut = RenderLightbox(photos, index: 2);

        AssertShows(cut, photos, 2);
        Assert.Equal("3 of 8", Counter(cut));
        Assert.Equal("Photo 3", cut.Find("[data-testid=lightbox-image]").GetAttribute("alt"));
        Assert.Equal($"/media/{photos[2].MediaFileId}/original", cut.Find("a[aria-label='Open the original']").GetAttribute("href"));
        JSInterop.VerifyFocusAsyncInvoke();
        Assert.Empty(_indexes);
        Assert.Empty(_opens);
    }

    [Fact]
    public void Closed_or_without_photos_it_renders_nothing()
    {
        var closed = RenderLightbox(Photos(3), index: 0, open: false);
        Assert.Empty(closed.FindAll("[data-testid=lightbox]"));

        var empty = RenderLightbox([], index: 0);
        Assert.Empty(empty.FindAll("[data-testid=lightbox]"));
    }

    [Fact]
    public void Arrow_keys_go_to_the_next_and_previous_photo_and_report_the_index()
    {
        var photos = Photos(5);
        var cut = RenderLightbox(photos, index: 1);

        Press(cut, "ArrowRight");
        AssertShows(cut, photos, 2);
        Press(cut, "ArrowRight");
        AssertShows(cut, photos, 3);
        Press(cut, "ArrowLeft");
        AssertShows(cut, photos, 2);

        Assert.Equal([2, 3, 2], _indexes);
    }

    [Fact]
    public void Arrow_keys_stop_at_the_ends_without_reporting_a_change()
    {
        var photos = Photos(3);
        var cut = RenderLightbox(photos, index: 0);

        Press(cut, "ArrowLeft");
        AssertShows(cut, photos, 0);
        Assert.Empty(_indexes);
        Assert.Empty(cut.FindAll("[aria-label='Previous photo']"));

        Press(cut, "ArrowRight");
        Press(cut, "ArrowRight");
        Press(cut, "ArrowRight");
        Press(cut, "ArrowRight");
        AssertShows(cut, photos, 2);
        Assert.Equal([1, 2], _indexes);
        Assert.Empty(cut.FindAll("[aria-label='Next photo']"));
        Assert.Single(cut.FindAll("[aria-label='Previous photo']"));
    }

    [Fact]
    public void Home_and_End_jump_to_the_first_and_the_last_photo()
    {
        var photos = Photos(6);
        var cut = RenderLightbox(photos, index: 3);

        Press(cut, "End");
        AssertShows(cut, photos, 5);
        Press(cut, "Home");
        AssertShows(cut, photos, 0);
        Press(cut, "Home");
        AssertShows(cut, photos, 0);

        Assert.Equal([5, 0], _indexes);
    }

    [Fact]
    public void The_previous_and_next_buttons_move_like_the_arrow_keys()
    {
        var photos = Photos(4);
        var cut = RenderLightbox(photos, index: 1);

        cut.Find("[aria-label='Next photo']").Click();
        AssertShows(cut, photos, 2);
        cut.Find("[aria-label='Previous photo']").Click();
        cut.Find("[aria-label='Previous photo']").Click();
        AssertShows(cut, photos, 0);

        Assert.Equal([2, 1, 0], _indexes);
    }

    [Fact]
    public void Escape_reports_closed_and_hides_the_viewer_until_opened_again()
    {
        var photos = Photos(4);
        var cut = RenderLightbox(photos, index: 1);

        Press(cut, "Escape");

        Assert.Equal([false], _opens);
        Assert.Empty(cut.FindAll("[data-testid=lightbox]"));

        // The page (bound with @bind-Open) takes the false, then opens it again at another photo.
        cut.Render(p => p.Add(l => l.Open, false));
        Assert.Empty(cut.FindAll("[data-testid=lightbox]"));
        cut.Render(p => p.Add(l => l.Open, true).Add(l => l.Index, 3));
        AssertShows(cut, photos, 3);
        Assert.Equal([false], _opens);
    }

    [Fact]
    public void The_close_button_reports_closed_too()
    {
        var cut = RenderLightbox(Photos(2), index: 0);

        cut.Find("[data-testid=lightbox-close]").Click();

        Assert.Equal([false], _opens);
        Assert.Empty(cut.FindAll("[data-testid=lightbox]"));
    }

    [Fact]
    public void The_next_photos_large_variant_is_prefetched_and_nothing_on_the_last()
    {
        var photos = Photos(3);
        var cut = RenderLightbox(photos, index: 0);

        var prefetch = cut.Find("[data-testid=lightbox-prefetch]");
        Assert.Equal($"/media/{photos[1].MediaFileId}/large", prefetch.GetAttribute("src"));
        Assert.True(prefetch.HasAttribute("hidden"));

        Press(cut, "ArrowRight");
        Assert.Equal($"/media/{photos[2].MediaFileId}/large", cut.Find("[data-testid=lightbox-prefetch]").GetAttribute("src"));

        Press(cut, "ArrowRight");
        AssertShows(cut, photos, 2);
        Assert.Empty(cut.FindAll("[data-testid=lightbox-prefetch]"));
    }

    [Fact]
    public void Zoom_shows_the_original_and_toggles_back_to_the_large_variant()
    {
        var photos = Photos(3);
        var cut = RenderLightbox(photos, index: 1);
        var large = $"/media/{photos[1].MediaFileId}/large";
        var original = $"/media/{photos[1].MediaFileId}/original";

        cut.Find("[data-testid=lightbox-zoom]").Click();
        Assert.Equal(original, ImageSrc(cut));
        Assert.Contains("lightbox-stage--zoomed", cut.Find(".lightbox-stage").ClassName);
        Assert.Equal("Fit to screen", cut.Find("[data-testid=lightbox-zoom]").GetAttribute("aria-label"));

        cut.Find("[data-testid=lightbox-zoom]").Click();
        Assert.Equal(large, ImageSrc(cut));
        Assert.DoesNotContain("lightbox-stage--zoomed", cut.Find(".lightbox-stage").ClassName);

        // Clicking the image and the + / - keys zoom too.
        cut.Find("[data-testid=lightbox-image]").Click();
        Assert.Equal(original, ImageSrc(cut));
        Press(cut, "-");
        Assert.Equal(large, ImageSrc(cut));
        Press(cut, "+");
        Assert.Equal(original, ImageSrc(cut));

        // Going to another photo fits it to the screen again.
        Press(cut, "ArrowRight");
        Assert.Equal($"/media/{photos[2].MediaFileId}/large", ImageSrc(cut));
    }
}
