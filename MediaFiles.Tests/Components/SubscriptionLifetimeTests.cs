using MediaFiles.Web.Components.Media;

namespace MediaFiles.Tests.Components;

/// <summary>Components subscribe to the bus when they start and give the subscription back when they go.</summary>
public sealed class SubscriptionLifetimeTests : ComponentTestContext
{
    [Fact]
    public async Task Timelines_and_drop_zones_leave_no_subscription_when_disposed()
    {
        var patientId = await PatientIdAsync("Helena Marsh");
        var before = Bus.SubscriptionCount;

        for (var i = 0; i < 25; i++)
        {
            Render<Timeline>(p => p.Add(t => t.PatientId, patientId));
            Render<MediaDropZone>(p => p.Add(z => z.PatientId, patientId));
        }
        // Each timeline holds two (timeline + processing), each drop zone one (its upload batch).
        Assert.Equal(before + 25 * 3, Bus.SubscriptionCount);

        await DisposeComponentsAsync();

        Assert.Equal(before, Bus.SubscriptionCount);
    }
}
