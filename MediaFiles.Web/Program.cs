using MediaFiles.Web;
using MediaFiles.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.AddMediaFilesWeb();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseMediaFilesPipeline();
app.MapMediaFilesEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
