using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaFiles.Tests.Support;

namespace MediaFiles.Tests.Web;

/// <summary>
/// Patient search through the API (case, accents, word order, MRN); the app's own not-found page; the
/// denied page that says who a page is for; a reviewer's start page.
/// </summary>
public sealed class FindAndWordsTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    private sealed record PatientRow(Guid Id, string Name, string Mrn, string? Bed);

    [Theory]
    [InlineData("lucia", "Lucía Romero")]
    [InlineData("marsh h", "Helena Marsh")]
    [InlineData("SEG-104823", "Helena Marsh")]
    [InlineData("seg-219475", "Jonas Weber")]
    public async Task Patient_search_ignores_case_accents_and_word_order_and_finds_an_mrn(string query, string expected)
    {
        using var nurse = await app.SignInAsync("nurse");
        var found = await nurse.GetJsonAsync<List<PatientRow>>($"/api/patients?search={Uri.EscapeDataString(query)}");
        var row = Assert.Single(found);
        Assert.Equal(expected, row.Name);
        Assert.StartsWith("SEG-", row.Mrn);
    }

    [Fact]
    public async Task An_unknown_page_gets_the_apps_not_found_page_with_status_404()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var response = await nurse.Http.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"not-found\"", html);
        Assert.Contains("This page does not exist", html);
    }

    [Fact]
    public async Task An_unknown_api_address_stays_a_bare_404()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var response = await nurse.Http.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("not-found", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/admin/dashboard", "This page is for admins.")]
    [InlineData("/admin/audit", "This page is for admins.")]
    [InlineData("/review", "This page is for reviewers and admins.")]
    public async Task A_nurse_opening_a_page_for_other_roles_is_told_who_it_is_for(string path, string message)
    {
        using var nurse = await app.SignInAsync("nurse");
        using var refused = await nurse.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var location = refused.Headers.Location!.ToString();
        Assert.Contains("/account/denied", location);

        using var denied = await nurse.Http.GetAsync(location);
        var html = WebUtility.HtmlDecode(await denied.Content.ReadAsStringAsync());
        Assert.Contains(message, html);
        Assert.Contains("Ward staff", html);
        Assert.DoesNotContain("has no role in MediaFiles", html);
        Assert.Contains("data-testid=\"denied-home\"", html);
    }

    [Fact]
    public async Task A_reviewers_start_page_is_live_review_others_keep_the_patient_list()
    {
        using var reviewer = await app.SignInAsync("reviewer");
        using var start = await reviewer.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.EndsWith("/review", start.Headers.Location!.ToString());
        using var list = await reviewer.Http.GetAsync("/patients");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        using var nurse = await app.SignInAsync("nurse");
        using var nurseStart = await nurse.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, nurseStart.StatusCode);
        Assert.Contains("patient-search", await nurseStart.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_sign_in_page_and_app_bar_say_roles_in_words()
    {
        using var http = app.CreateCookieClient();
        var signIn = WebUtility.HtmlDecode(await http.GetStringAsync("/account/signin"));
        Assert.Contains("Ward staff · Surgical Ward 3B", signIn);
        Assert.DoesNotContain("WardStaff", signIn);

        using var nurse = await app.SignInAsync("nurse");
        var page = WebUtility.HtmlDecode(await nurse.Http.GetStringAsync("/patients"));
        Assert.Contains("Ward staff", page);
        Assert.DoesNotContain(">WardStaff<", page);
    }
}
