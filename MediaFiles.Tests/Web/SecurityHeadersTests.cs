using MediaFiles.Tests.Support;

namespace MediaFiles.Tests.Web;

/// <summary>Every response carries the safe headers; pages get the page CSP, files their own stricter one.</summary>
public sealed class SecurityHeadersTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    [Fact]
    public async Task Pages_get_a_CSP_without_inline_script_or_eval_and_no_framing()
    {
        using var client = app.CreateCookieClient();
        var response = await client.GetAsync("/account/signin");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join("", response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", string.Join("", response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task A_file_response_keeps_its_own_sandboxing_CSP()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync("Helena Marsh");
        var (_, upload) = await nurse.AddPhotoAsync(patient, TestUploads.UniqueJpeg(), "heel.jpg");

        var response = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/original");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'", csp);
        Assert.Contains("sandbox", csp);
        Assert.DoesNotContain("script-src", csp);
    }
}
