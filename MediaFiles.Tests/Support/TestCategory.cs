namespace MediaFiles.Tests.Support;

/// <summary>
/// The trait of the slow suites (real browser, OpenID Connect): the fast part of the suite runs
/// without them, e.g. <c>./scripts/test.sh --filter-not-trait Category=Slow</c> (README, "Fast tests").
/// </summary>
public static class TestCategory
{
    public const string Name = "Category";
    public const string Slow = "Slow";
}
