using AngleSharp.Dom;
using Bunit;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Series;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Components.Media;
using Microsoft.JSInterop;

namespace MediaFiles.Tests.Components;

/// <summary>The tiles of a series: order, positions, the earlier/later buttons, the drag callback, remove and open.</summary>
public sealed class SeriesGridTests : ComponentTestContext
{
    private BunitJSModuleInterop _module = null!;
    private readonly List<(int From, int To)> _moves = [];
    private readonly List<int> _opened = [];
    private readonly List<SeriesItem> _removed = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _module = JSInterop.SetupModule("./js/reorder.js");
    }

    private static List<SeriesItem> Items(int count) =>
        Enumerable.Range(1, count)
            .Select(i => new SeriesItem(Guid.NewGuid(), i, Guid.NewGuid(), i == 2 ? "Day 2" : "", 640, 480, 1000 + i, $"photo-{i}.jpg", "image/jpeg"))
            .ToList();

    private IRenderedComponent<SeriesGrid> RenderGrid(IReadOnlyList<SeriesItem> items, bool canReorder = true, bool canEdit = false, bool busy = false) =>
        Render<SeriesGrid>(p => p
            .Add(g => g.Items, items)
            .Add(g => g.CanReorder, canReorder)
            .Add(g => g.CanEdit, canEdit)
            .Add(g => g.Busy, busy)
            .Add(g => g.OnMove, ((int From, int To) move) => _moves.Add(move))
            .Add(g => g.OnOpen, (int index) => _opened.Add(index))
            .Add(g => g.OnRemove, (SeriesItem item) => _removed.Add(item)));

    private static IReadOnlyList<IElement> Tiles(IRenderedComponent<SeriesGrid> cut) => cut.FindAll("[data-testid=series-item]");

    private static IElement Button(IRenderedComponent<SeriesGrid> cut, int position, string testId) =>
        Tiles(cut)[position - 1].QuerySelector($"[data-testid={testId}]") ?? throw new InvalidOperationException($"No {testId} on tile {position}.");

    [Fact]
    public async Task Renders_the_tiles_of_a_real_series_in_order_with_their_positions()
    {
        var patientId = await PatientIdAsync("Helena Marsh");
        var uploads = new List<IngestResult>();
        for (var i = 0; i < 4; i++) uploads.Add(await StageAsync(TestUploads.UniqueJpeg(64, 48), $"p{i}.jpg"));
        var seriesId = await WithAsync<PhotoSeriesService, Guid>(s => s.CreateAsync(User, patientId, uploads.Select(u => u.UploadId).ToList(), null, null));
        await WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(User, seriesId, 4, 1, 0));
        var series = await WithAsync<SeriesQuery, SeriesDetail>(q => q.GetAsync(User, seriesId));

        var cut = RenderGrid(series.Items, series.CanReorder, series.CanEdit);

        var tiles = Tiles(cut);
        var expected = new[] { uploads[3], uploads[0], uploads[1], uploads[2] }.Select(u => u.MediaFileId.ToString()).ToList();
        Assert.Equal(expected, tiles.Select(t => t.GetAttribute("data-media-id")));
        Assert.Equal(["1", "2", "3", "4"], tiles.Select(t => t.GetAttribute("data-position")));
        Assert.Equal(["1", "2", "3", "4"], tiles.Select(t => t.QuerySelector(".series-tile-pos")!.TextContent.Trim()));
        Assert.Equal(expected.Select(id => $"/media/{id}/thumbnail"), tiles.Select(t => t.QuerySelector("img")!.GetAttribute("src")));
        Assert.Equal("Open photo 3 of 4", tiles[2].QuerySelector(".series-tile-media")!.GetAttribute("aria-label"));
        Assert.Equal("false", cut.Find("[data-testid=series-grid]").GetAttribute("data-reorder-disabled"));
    }

    [Fact]
    public void Move_earlier_on_tile_3_raises_a_move_from_3_to_2_and_move_later_from_3_to_4()
    {
        var cut = RenderGrid(Items(5));

        Button(cut, 3, "move-earlier").Click();
        Button(cut, 3, "move-later").Click();

        Assert.Equal([(3, 2), (3, 4)], _moves);
        Assert.Equal("Move photo 3 earlier", Button(cut, 3, "move-earlier").GetAttribute("aria-label"));
    }

    [Fact]
    public void Earlier_is_disabled_on_the_first_tile_and_later_on_the_last()
    {
        var cut = RenderGrid(Items(4));

        Assert.True(Button(cut, 1, "move-earlier").HasAttribute("disabled"));
        Assert.False(Button(cut, 1, "move-later").HasAttribute("disabled"));
        Assert.False(Button(cut, 4, "move-earlier").HasAttribute("disabled"));
        Assert.True(Button(cut, 4, "move-later").HasAttribute("disabled"));
        foreach (var position in new[] { 2, 3 })
        {
            Assert.False(Button(cut, position, "move-earlier").HasAttribute("disabled"));
            Assert.False(Button(cut, position, "move-later").HasAttribute("disabled"));
        }
    }

    [Fact]
    public async Task A_drag_reported_by_reorder_js_raises_the_move()
    {
        var cut = RenderGrid(Items(5));

        // The module is attached to the grid with a reference back to the component.
        JSRuntimeInvocation attach = default;
        cut.WaitForAssertion(() => attach = Assert.Single(_module.Invocations["attach"]), Wait);
        var self = Assert.IsType<DotNetObjectReference<SeriesGrid>>(attach.Arguments[1]);
        Assert.Same(cut.Instance, self.Value);

        await cut.InvokeAsync(() => self.Value.MoveFromDrag(3, 1));
        await cut.InvokeAsync(() => self.Value.MoveFromDrag(1, 5));

        Assert.Equal([(3, 1), (1, 5)], _moves);
    }

    [Fact]
    public async Task Impossible_drags_raise_nothing()
    {
        var cut = RenderGrid(Items(3));

        foreach (var (from, to) in new[] { (2, 2), (0, 1), (1, 4), (4, 1), (-1, 2) })
            await cut.InvokeAsync(() => cut.Instance.MoveFromDrag(from, to));

        Assert.Empty(_moves);
    }

    [Fact]
    public async Task Nothing_is_raised_and_no_buttons_show_when_the_user_cannot_reorder()
    {
        var cut = RenderGrid(Items(3), canReorder: false);

        await cut.InvokeAsync(() => cut.Instance.MoveFromDrag(3, 1));

        Assert.Empty(_moves);
        Assert.Empty(cut.FindAll("[data-testid=move-earlier]"));
        Assert.Empty(cut.FindAll("[data-testid=move-later]"));
        Assert.Empty(cut.FindAll("[data-drag-handle]"));
        Assert.Equal("true", cut.Find("[data-testid=series-grid]").GetAttribute("data-reorder-disabled"));
        Assert.Empty(_module.Invocations["attach"]);
        Assert.Empty(JSInterop.Invocations["import"]);
        Assert.Equal(3, Tiles(cut).Count);
    }

    [Fact]
    public async Task Nothing_is_raised_while_busy_and_every_button_is_disabled()
    {
        var cut = RenderGrid(Items(3), canEdit: true, busy: true);

        await cut.InvokeAsync(() => cut.Instance.MoveFromDrag(3, 1));

        Assert.Empty(_moves);
        Assert.Equal("true", cut.Find("[data-testid=series-grid]").GetAttribute("data-reorder-disabled"));
        var buttons = cut.FindAll("[data-testid=move-earlier], [data-testid=move-later], [data-testid=remove-photo]");
        Assert.Equal(9, buttons.Count);
        Assert.All(buttons, b => Assert.True(b.HasAttribute("disabled"), b.GetAttribute("aria-label")));

        // Once the save is done the same drag goes through.
        cut.Render(p => p.Add(g => g.Busy, false));
        await cut.InvokeAsync(() => cut.Instance.MoveFromDrag(3, 1));
        Assert.Equal([(3, 1)], _moves);
    }

    [Fact]
    public void Remove_shows_only_when_the_user_may_edit_and_raises_the_item()
    {
        var items = Items(3);
        var readOnly = RenderGrid(items, canEdit: false);
        Assert.Empty(readOnly.FindAll("[data-testid=remove-photo]"));
        Assert.Empty(readOnly.FindAll("input"));
        Assert.Equal("Day 2", Tiles(readOnly)[1].QuerySelector(".series-tile-caption")!.TextContent.Trim());

        var editable = RenderGrid(items, canEdit: true);
        Assert.Equal(3, editable.FindAll("[data-testid=remove-photo]").Count);
        Assert.Equal(3, editable.FindAll(".series-tile-caption input").Count);

        Button(editable, 2, "remove-photo").Click();

        Assert.Equal([items[1]], _removed);
        Assert.Empty(_moves);
    }

    [Fact]
    public void The_only_photo_of_a_series_has_no_remove_button()
    {
        var cut = RenderGrid(Items(1), canEdit: true);

        Assert.Empty(cut.FindAll("[data-testid=remove-photo]"));
        Assert.True(Button(cut, 1, "move-earlier").HasAttribute("disabled"));
        Assert.True(Button(cut, 1, "move-later").HasAttribute("disabled"));
    }

    [Fact]
    public void Clicking_a_tile_opens_it_by_its_zero_based_index()
    {
        var cut = RenderGrid(Items(4), canReorder: false);

        Tiles(cut)[2].QuerySelector(".series-tile-media")!.Click();
        Tiles(cut)[0].QuerySelector(".series-tile-media")!.Click();

        Assert.Equal([2, 0], _opened);
    }
}
