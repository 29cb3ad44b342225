using System.Text;

namespace MediaFiles.Core.Series;

/// <summary>Names of the entries of a series ZIP: position, then the sanitized original name (01_wound-day1.jpg).</summary>
public static class SeriesZipNames
{
    public static string Entry(int orderIndex, int count, string originalName)
    {
        var digits = Math.Max(2, count.ToString().Length);
        var sb = new StringBuilder(originalName.Length);
        foreach (var c in originalName)
            sb.Append(char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : c == ' ' ? '-' : '_');
        var name = sb.ToString().Trim('.', '-', '_');
        return $"{orderIndex.ToString().PadLeft(digits, '0')}_{(name.Length == 0 ? "photo.jpg" : name)}";
    }
}
