using MediaFiles.Core;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Web.Components.Media;

namespace MediaFiles.Tests.Components;

/// <summary>The drop zone's state on its own: no Blazor, no server.</summary>
public sealed class UploadQueueTests
{
    private const long MB = 1024 * 1024;
    private readonly MediaFilesOptions _options = new();

    private static BrowserFile File(string key, string name, long size = MB) => new(key, name, size, "");

    private static UploadReply Reply(string outcome = "saved", string kind = "photo") => new(Guid.NewGuid(), Guid.NewGuid(), outcome, kind);

    [Fact]
    public void Sizes_are_checked_by_the_limit_of_the_kind_the_name_says()
    {
        var queue = new UploadQueue(_options);

        var keys = queue.Add([File("a", "big.jpg", 30 * MB), File("b", "walk.mp4", 30 * MB), File("c", "huge.mov", 101 * MB), File("d", "noext", 99 * MB)]);

        Assert.Equal(["b", "d"], keys);
        Assert.Equal("The file is 30 MB: at most 25 MB is accepted for a photo.", queue.Find("a")!.Message);
        Assert.Equal("The file is 101 MB: at most 100 MB is accepted for a video clip.", queue.Find("c")!.Message);
        Assert.Equal(["d", "c", "b", "a"], queue.Items.Select(i => i.Key));
    }

    [Fact]
    public void A_series_takes_at_most_its_room_counting_files_on_their_way()
    {
        var queue = new UploadQueue(new MediaFilesOptions { MaxSeriesPhotos = 3 }) { AsSeries = true, ExistingSeriesCount = 1 };

        var keys = queue.Add([File("a", "1.jpg"), File("b", "2.jpg"), File("c", "3.jpg")]);

        Assert.Equal(["a", "b"], keys);
        Assert.Equal("A series holds at most 3 photos and this one is full.", queue.Find("c")!.Message);
        Assert.Equal(0, queue.SeriesRoom);
        queue.Refused("a", "GIF is not accepted: JPEG, PNG or WebP.");
        Assert.Equal(1, queue.SeriesRoom);
    }

    [Fact]
    public void Stages_only_move_forward_and_carry_the_kind_the_server_found()
    {
        var queue = new UploadQueue(_options);
        queue.Add([File("a", "walk.mp4", 4 * MB)]);
        var batch = Guid.NewGuid();

        queue.BytesSent("a", 2 * MB);
        Assert.Equal("Uploading 50 %", queue.Find("a")!.StateText);
        queue.Apply(new UploadProgress(batch, "a", Guid.NewGuid(), UploadStage.Variants, MediaKind.Video));
        queue.Apply(new UploadProgress(batch, "a", Guid.NewGuid(), UploadStage.Checking, MediaKind.Video));
        queue.BytesSent("a", 3 * MB);

        var item = queue.Find("a")!;
        Assert.Equal(UploadStage.Variants, item.Stage);
        Assert.Equal("Making the poster", item.StateText);
        Assert.False(queue.Apply(new UploadProgress(batch, "nope", Guid.NewGuid(), UploadStage.Checking, MediaKind.Image)));
    }

    [Fact]
    public void A_separate_file_goes_to_the_timeline_at_once_a_series_file_waits()
    {
        var queue = new UploadQueue(_options);
        queue.Add([File("a", "a.jpg")]);

        var attach = queue.Staged("a", Reply(kind: "video"));

        Assert.NotNull(attach);
        Assert.True(attach.IsVideo);
        Assert.Equal(UploadStage.Attaching, attach.Stage);
        UploadQueue.Added(attach, Guid.NewGuid());
        Assert.Equal("added", attach.DataState);
        Assert.True(queue.AllFinished);

        var series = new UploadQueue(_options) { AsSeries = true };
        series.Add([File("x", "x.jpg"), File("y", "y.jpg")]);
        Assert.Null(series.Staged("y", Reply("duplicate")));
        Assert.False(series.AllSettled);
        Assert.Null(series.Staged("x", Reply()));
        Assert.True(series.AllSettled);
        Assert.Equal(["x", "y"], series.ReadyForSeries.Select(i => i.Key));
        Assert.Equal("ready", series.Find("y")!.DataState);
        Assert.Equal("Ready · already stored", series.Find("y")!.StateText);
        Assert.Equal("2 ready", series.Summary);
    }

    [Fact]
    public void A_reply_after_a_refusal_changes_nothing_and_clear_keeps_what_is_on_its_way()
    {
        var queue = new UploadQueue(_options);
        queue.Add([File("a", "a.jpg"), File("b", "b.jpg")]);
        queue.Failed("a", "The connection was lost while sending the file.");

        Assert.Null(queue.Staged("a", Reply()));
        Assert.Equal(UploadStage.Failed, queue.Find("a")!.Stage);
        Assert.Equal("1 in progress · 1 refused", queue.Summary);

        queue.ClearFinished();
        Assert.Equal(["b"], queue.Items.Select(i => i.Key));
    }

    [Theory]
    [InlineData(422, "{\"title\":\"File refused\",\"detail\":\"GIF is not accepted: JPEG, PNG or WebP.\"}", UploadStage.Refused, "GIF is not accepted: JPEG, PNG or WebP.")]
    [InlineData(401, "", UploadStage.Failed, "Your sign-in has expired: reload the page and sign in again.")]
    [InlineData(502, "<html>bad gateway</html>", UploadStage.Refused, "The server could not take the file (HTTP 502). Try again.")]
    [InlineData(400, "[1,2]", UploadStage.Refused, "The server could not take the file (HTTP 400). Try again.")]
    public void A_reply_other_than_201_ends_the_item_with_a_sentence_the_user_can_act_on(int status, string body, UploadStage stage, string message)
    {
        var queue = new UploadQueue(_options);
        queue.Add([File("a", "a.jpg")]);

        Assert.Null(queue.NotStaged("a", status, body));

        Assert.Equal((stage, message), (queue.Find("a")!.Stage, queue.Find("a")!.Message));
    }

    [Fact]
    public void A_series_lists_its_files_in_the_order_it_will_have_and_they_can_be_moved_before_it_is_made()
    {
        var queue = new UploadQueue(_options) { AsSeries = true };
        queue.Add([File("a", "a.jpg"), File("b", "b.jpg"), File("gif", "c.gif", 30 * MB), File("c", "c.jpg")]);

        Assert.Equal(["a", "b", "gif", "c"], queue.Items.Select(i => i.Key));
        Assert.Equal([1, 2, null, 3], queue.Items.Select(queue.SeriesPosition));

        Assert.True(queue.Move("c", -1));   // past b, skipping nothing
        Assert.True(queue.Move("c", -1));   // to the front
        Assert.False(queue.Move("c", -1));  // already first
        Assert.False(queue.Move("a", +1) && queue.Move("a", +1) && queue.Move("a", +1));

        foreach (var key in new[] { "a", "b", "c" }) queue.Staged(key, Reply());
        Assert.Equal(["c", "b", "a"], queue.ReadyForSeries.Select(i => i.Key));
        Assert.Equal("c", queue.Items[0].Key);
    }

    [Fact]
    public void A_series_row_never_says_it_is_being_added_before_the_series_is_made()
    {
        var queue = new UploadQueue(_options) { AsSeries = true };
        queue.Add([File("a", "a.jpg")]);
        var seen = new List<string>();
        var batch = Guid.NewGuid();

        queue.Sending("a");
        seen.Add(queue.Find("a")!.StateText);
        foreach (var stage in new[] { UploadStage.Checking, UploadStage.Variants })
        {
            queue.Apply(new UploadProgress(batch, "a", Guid.NewGuid(), stage, MediaKind.Image));
            seen.Add(queue.Find("a")!.StateText);
        }
        queue.Staged("a", Reply());
        seen.Add(queue.Find("a")!.StateText);

        Assert.Equal(["Uploading 0 %", "Checking", "Making sizes", "Ready"], seen);
        Assert.DoesNotContain(seen, text => text.Contains("timeline", StringComparison.OrdinalIgnoreCase));
    }
}
