using Bunit;
using MediaFiles.Core;
using MediaFiles.Web.Components.Media;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediaFiles.Tests.Components;

/// <summary>The one edit form of the photo, clip and series pages: text and event time, in the ward's zone.</summary>
public sealed class EventEditFormTests : ComponentTestContext
{
    private static readonly DateTime At = new(2026, 3, 15, 9, 30, 42, DateTimeKind.Utc);

    private IRenderedComponent<EventEditForm> RenderForm(List<(string Text, DateTime When)> saved, bool admin = false) =>
        Render<EventEditForm>(p => p
            .Add(f => f.Noun, "clip").Add(f => f.TextLabel, "Caption").Add(f => f.DateLabel, "Recorded on")
            .Add(f => f.Text, "Gait").Add(f => f.EventDateTime, At).Add(f => f.EditableUntil, At.AddHours(24))
            .Add(f => f.AdminOverride, admin)
            .Add(f => f.OnSave, (text, when) => { saved.Add((text, when)); return Task.FromResult(true); }));

    private static AngleSharp.Dom.IElement Caption(IRenderedComponent<EventEditForm> cut)
    {
        var field = cut.Find("[data-testid=edit-caption]");
        return field.TagName == "INPUT" ? field : field.QuerySelector("input")!;
    }

    [Fact]
    public async Task Saves_the_caption_and_the_time_picked_in_the_wards_zone()
    {
        var clock = Services.GetRequiredService<WardClock>();
        var saved = new List<(string, DateTime)>();
        var cut = RenderForm(saved);
        Assert.Contains($"until {clock.Format(At.AddHours(24))}", cut.Find("[data-testid=edit-window]").TextContent);
        Assert.Equal("Gait", Caption(cut).GetAttribute("value"));

        Caption(cut).Input("Gait after physio");
        var date = cut.FindComponent<MudDatePicker>();
        var time = cut.FindComponent<MudTimePicker>();
        await cut.InvokeAsync(() => date.Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 14)));
        await cut.InvokeAsync(() => time.Instance.TimeChanged.InvokeAsync(new TimeSpan(7, 45, 0)));
        await cut.Find("[data-testid=save-clip]").ClickAsync(new());

        Assert.Equal([("Gait after physio", clock.ToUtc(new DateTime(2026, 3, 14, 7, 45, 0)))], saved);
    }

    [Fact]
    public async Task An_untouched_time_keeps_the_events_own_seconds_and_an_admin_is_told_no_window_applies()
    {
        var saved = new List<(string, DateTime)>();
        var cut = RenderForm(saved, admin: true);
        Assert.Equal("As an admin you can change or delete this clip at any time.", cut.Find("[data-testid=edit-window]").TextContent.Trim());

        Caption(cut).Input("Gait, left");
        await cut.Find("[data-testid=save-clip]").ClickAsync(new());

        Assert.Equal([("Gait, left", At)], saved);
    }
}
