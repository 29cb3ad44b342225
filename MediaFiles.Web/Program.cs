using MediaFiles.Web;
using MediaFiles.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.AddMediaFilesWeb();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseMediaFilesPipeline();
app.MapMediaFilesEndpoints();
// The page CSP (Extensions.PageCsp) carries frame-ancestors itself; Blazor's own header would otherwise replace it.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

app.Run();

/// <summary>Public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
