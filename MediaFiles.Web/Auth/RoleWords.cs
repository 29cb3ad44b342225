using System.Reflection;
using MediaFiles.Core.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace MediaFiles.Web.Auth;

/// <summary>Roles as the people who have them say it ("Ward staff", not "WardStaff"), and which pages need which.</summary>
public static class RoleWords
{
    /// <summary>The role's name for display: "Ward staff", "Reviewer", "Admin".</summary>
    public static string For(string? role) => role switch
    {
        Roles.WardStaff => "Ward staff",
        Roles.Reviewer => "Reviewer",
        Roles.Admin => "Admin",
        null or "" => "No role",
        _ => role,
    };

    private static string Plural(string role) => role switch
    {
        Roles.WardStaff => "ward staff",
        Roles.Reviewer => "reviewers",
        Roles.Admin => "admins",
        _ => role,
    };

    /// <summary>"This page is for admins." / "This page is for reviewers and admins."; null when any signed-in user may see it.</summary>
    public static string? PageIsFor(IReadOnlyList<string> roles)
    {
        var ordered = Roles.All.Where(roles.Contains).Select(Plural).ToList();
        return ordered.Count switch
        {
            0 => null,
            1 => $"This page is for {ordered[0]}.",
            _ => $"This page is for {string.Join(", ", ordered[..^1])} and {ordered[^1]}.",
        };
    }

    private static readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, string[] Roles)>> Pages = new(() =>
        typeof(RoleWords).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t =>
            {
                var roles = t.GetCustomAttributes<AuthorizeAttribute>()
                    .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                return t.GetCustomAttributes<RouteAttribute>()
                    .Select(r => (new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary()), roles));
            })
            .ToList());

    /// <summary>The roles the page at <paramref name="path"/> is for (empty: any signed-in user, or no such page).</summary>
    public static IReadOnlyList<string> RolesOfPage(string? path)
    {
        if (string.IsNullOrEmpty(path)) return [];
        var onlyPath = path.Split('?', '#')[0];
        foreach (var (matcher, roles) in Pages.Value)
            if (matcher.TryMatch(onlyPath, new RouteValueDictionary())) return roles;
        return [];
    }
}
