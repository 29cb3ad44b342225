using MudBlazor;

namespace MediaFiles.Web.Components.Layout;

/// <summary>Calm clinical palette: teal primary, high-contrast text, no pure black.</summary>
public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#00796B",
            Secondary = "#455A64",
            Tertiary = "#6A1B9A",
            AppbarBackground = "#00695C",
            Background = "#F5F7F8",
            Surface = "#FFFFFF",
            DrawerBackground = "#FFFFFF",
            TextPrimary = "#1B2429",
            TextSecondary = "#52616B",
            Success = "#2E7D32",
            Warning = "#B26A00",
            Error = "#C62828",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
