namespace MediaFiles.Core.Series;

/// <summary>The arithmetic of "move the item at position i to position j" (1-based), as pure functions.</summary>
public static class SeriesOrder
{
    /// <summary>Where the item now at <paramref name="index"/> ends up after the move.</summary>
    public static int AfterMove(int index, int from, int to)
    {
        if (index == from) return to;
        if (from < to && index > from && index <= to) return index - 1;
        if (from > to && index >= to && index < from) return index + 1;
        return index;
    }

    /// <summary>Where the item now at <paramref name="index"/> ends up after the item at <paramref name="removed"/> goes.</summary>
    public static int AfterRemove(int index, int removed) => index > removed ? index - 1 : index;
}

/// <summary>Someone else changed the series since this user loaded it.</summary>
public sealed class StaleSeriesException(int currentVersion)
    : Access.RefusedException("Someone else changed this series a moment ago. Here is its current order: make your change again if it is still needed.")
{
    public int CurrentVersion { get; } = currentVersion;
}
