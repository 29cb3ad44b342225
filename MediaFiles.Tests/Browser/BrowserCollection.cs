namespace MediaFiles.Tests.Browser;

/// <summary>
/// The real-browser tests run on their own, after the parallel ones: with two cores, a browser
/// waiting on Magick.NET work of a dozen other test hosts is measuring the machine, not the app.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[Trait(Support.TestCategory.Name, Support.TestCategory.Slow)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
