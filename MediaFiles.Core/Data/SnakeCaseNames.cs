using System.Text;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Data;

/// <summary>Columns are snake_case like the seed's schema (event_datetime, order_index, …).</summary>
internal static class SnakeCaseNames
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
                property.SetColumnName(ToSnakeCase(property.Name));
        }
    }

    // Names the seed spells its own way.
    private static readonly Dictionary<string, string> Exceptions = new() { ["EventDateTime"] = "event_datetime" };

    public static string ToSnakeCase(string name)
    {
        if (Exceptions.TryGetValue(name, out var fixedName)) return fixedName;
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
