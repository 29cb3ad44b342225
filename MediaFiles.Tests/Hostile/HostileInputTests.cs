using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ImageMagick;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Endpoints;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Hostile;

/// <summary>
/// The two apps the hostile uploads go to: one with the default limits (25 MB, 10000 px a side,
/// 100 MP) and one with tight ones (256 KB, 4 MP) for the size cases. Each keeps one signed-in nurse.
/// </summary>
public sealed class HostileApps : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Unlimited = new() { ["MediaFiles:RateLimits:UploadsPerHour"] = "100000" };

    private readonly Dictionary<HostileApp, SignedInClient> _nurses = [];

    public MediaFilesWebFactory Default { get; } = MediaFilesWebFactory.With(Unlimited);

    public MediaFilesWebFactory Tight { get; } = MediaFilesWebFactory.With(new Dictionary<string, string?>(Unlimited)
    {
        ["MediaFiles:Images:MaxBytes"] = HostileFiles.TightMaxBytes.ToString(CultureInfo.InvariantCulture),
        ["MediaFiles:Images:MaxPixels"] = HostileFiles.TightMaxPixels.ToString(CultureInfo.InvariantCulture),
    });

    public MediaFilesWebFactory App(HostileApp app) => app == HostileApp.Tight ? Tight : Default;

    public SignedInClient Nurse(HostileApp app) => _nurses[app];

    public async ValueTask InitializeAsync()
    {
        await Default.InitializeAsync();
        await Tight.InitializeAsync();
        _nurses[HostileApp.Default] = await Default.SignInAsync("nurse");
        _nurses[HostileApp.Tight] = await Tight.SignInAsync("nurse");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var nurse in _nurses.Values) nurse.Dispose();
        await Default.DisposeAsync();
        await Tight.DisposeAsync();
    }
}

/// <summary>
/// Hostile uploads through the real endpoint (POST /api/uploads) and what a browser gets back for the
/// ones that are accepted. A refusal names the problem (status, code, message) and leaves no file
/// under the storage root (temp included), no row and no event; an odd name is kept only in a safe form;
/// a polyglot is kept byte-exact as the original but is only ever served as an image.
/// </summary>
public sealed class HostileInputTests(HostileApps apps) : IClassFixture<HostileApps>
{
    private static readonly string[] DeviceNames =
        ["CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
         "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"];

    [Fact]
    public void The_suite_has_at_least_40_named_cases_of_every_kind()
    {
        Assert.True(HostileFiles.All.Count >= 40, $"only {HostileFiles.All.Count} cases");
        Assert.Equal(HostileFiles.All.Count, HostileFiles.All.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.True(HostileFiles.All.Count(c => !c.Accepted) >= 40, "at least 40 refusals");
        Assert.Contains(HostileFiles.All, c => c.ExpectedStatus == 413);
        Assert.Contains(HostileFiles.All, c => c.ExpectedStatus == 415);
        Assert.Contains(HostileFiles.All, c => c.ExpectedStatus == 422);
        Assert.Contains(HostileFiles.All, c => c.Accepted);
        Assert.All(HostileFiles.All, c => Assert.True(c.Accepted ? c.ExpectedStoredName is not null : c.ExpectedDetail is not null, c.Name));
    }

    [Theory]
    [MemberData(nameof(HostileFiles.Names), MemberType = typeof(HostileFiles))]
    public async Task Hostile_upload_is_refused_with_its_reason_or_kept_under_a_safe_name(string name)
    {
        var hostile = HostileFiles.Get(name);
        var app = apps.App(hostile.App);
        var nurse = apps.Nurse(hostile.App);
        var nurseId = await app.UserIdAsync("nurse");
        var bytes = hostile.Build();
        var before = await app.SnapshotAsync();
        var auditsBefore = await UploadAuditsAsync(app, nurseId);

        using var response = await SendAsync(nurse, hostile, bytes);

        await SignedInClient.ExpectAsync(response, (HttpStatusCode)hostile.ExpectedStatus);
        if (hostile.Accepted)
            await AssertStoredSafelyAsync(app, hostile, bytes, response, before);
        else
            await AssertRefusedAsync(app, hostile, response, before, nurseId, auditsBefore);
    }

    [Theory]
    [MemberData(nameof(HostileFiles.PolyglotNames), MemberType = typeof(HostileFiles))]
    public async Task Polyglot_is_kept_as_sent_but_only_ever_served_as_an_image(string name)
    {
        var polyglot = HostileFiles.Get(name);
        var app = apps.Default;
        var nurse = apps.Nurse(HostileApp.Default);
        var bytes = polyglot.Build();
        var markers = HostileFiles.PayloadMarkers(name);
        Assert.All(markers, m => Assert.True(bytes.AsSpan().IndexOf(m) >= 0, "the upload carries its payload"));

        var upload = await nurse.UploadAsync(bytes, polyglot.FileName);
        Assert.Equal("saved", upload.Outcome);

        // The original is the uploaded bytes, payload included: the headers are what keeps it an image.
        using (var original = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/original"))
        {
            await SignedInClient.ExpectAsync(original, HttpStatusCode.OK);
            AssertServedOnlyAsAnImage(original, "inline", polyglot.ExpectedStoredName!);
            Assert.Equal(bytes, await original.Content.ReadAsByteArrayAsync());
        }

        // Asking for a page does not turn it into one.
        using (var asPage = new HttpRequestMessage(HttpMethod.Get, $"/media/{upload.MediaFileId}/original?download=true"))
        {
            asPage.Headers.Accept.ParseAdd("text/html");
            using var download = await nurse.Http.SendAsync(asPage);
            await SignedInClient.ExpectAsync(download, HttpStatusCode.OK);
            AssertServedOnlyAsAnImage(download, "attachment", polyglot.ExpectedStoredName!);
        }

        // The variants are re-encoded from the pixels: nothing of the payload survives.
        var stem = Path.GetFileNameWithoutExtension(polyglot.ExpectedStoredName!);
        foreach (var variant in new[] { "large", "medium", "thumbnail" })
        {
            using var response = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/{variant}");
            await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
            AssertServedOnlyAsAnImage(response, "inline", $"{stem}-{variant}.jpg");
            var served = await response.Content.ReadAsByteArrayAsync();
            Assert.True(served.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]), $"{variant} starts as a JPEG");
            Assert.True(served.AsSpan().EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9]), $"{variant} has nothing after its end marker");
            foreach (var marker in markers)
                Assert.True(served.AsSpan().IndexOf(marker) < 0, $"{variant} still carries '{System.Text.Encoding.ASCII.GetString(marker)}'");
            var info = new MagickImageInfo(served);
            Assert.Equal(MagickFormat.Jpeg, info.Format);
            Assert.Equal(variant == "thumbnail" ? (200u, 150u) : (320u, 240u), (info.Width, info.Height));
        }
    }

    [Fact]
    public void Crafted_bombs_and_cuts_are_what_their_cases_say()
    {
        // Tiny files declaring huge images: a ping (header only) sees the declared size.
        foreach (var (bytes, width, height, format) in new[]
        {
            (HostileFiles.PngDeclaring(60000, 60000), 60000u, 60000u, MagickFormat.Png),
            (HostileFiles.PngDeclaring(100000, 1), 100000u, 1u, MagickFormat.Png),
            (HostileFiles.JpegDeclaring(60000, 60000), 60000u, 60000u, MagickFormat.Jpeg),
            (HostileFiles.JpegDeclaring(10000, 10000), 10000u, 10000u, MagickFormat.Jpeg),
            (HostileFiles.WebPDeclaring(16383, 16383), 16383u, 16383u, MagickFormat.WebP),
        })
        {
            Assert.True(bytes.Length < 4096, $"{format} {width} × {height} is {bytes.Length} bytes");
            using var image = new MagickImage();
            image.Ping(bytes, new MagickReadSettings { Format = format });
            Assert.Equal((width, height), (image.Width, image.Height));
        }

        var bomb = HostileFiles.Get("png-deflate-bomb-5000x5000").Build();
        Assert.True(bomb.Length < 64 * 1024, $"the deflate bomb is {bomb.Length} bytes");
        using (var image = new MagickImage())
        {
            image.Ping(bomb, new MagickReadSettings { Format = MagickFormat.Png });
            Assert.True((long)image.Width * image.Height > HostileFiles.TightMaxPixels * 6);
        }

        // The truncated JPEG and PNG still ping: their refusal comes from decoding the pixels.
        foreach (var (caseName, format) in new[] { ("truncated-jpeg", MagickFormat.Jpeg), ("truncated-png", MagickFormat.Png) })
        {
            using var image = new MagickImage();
            image.Ping(HostileFiles.Get(caseName).Build(), new MagickReadSettings { Format = format });
            Assert.Equal((320u, 240u), (image.Width, image.Height));
        }
    }

    [Theory]
    [InlineData("CON", "_CON")]
    [InlineData("con.tar.gz", "_con.tar.gz")]
    [InlineData("Com1.JPG", "_Com1.JPG")]
    [InlineData("LPT\u00B9.jpg", "_LPT\u00B9.jpg")]
    [InlineData("conin$.jpg", "_conin$.jpg")]
    [InlineData("PRN  .jpg", "_PRN.jpg")]
    [InlineData("CONSOLE.jpg", "CONSOLE.jpg")]
    [InlineData("NULL.jpg", "NULL.jpg")]
    [InlineData("COM10.jpg", "COM10.jpg")]
    [InlineData("wound CON.jpg", "wound CON.jpg")]
    [InlineData("....jpg", "upload.jpg")]
    [InlineData(". .jpg", "upload.jpg")]
    [InlineData("..hidden.png", "hidden.png")]
    [InlineData("wound.jpg . .", "wound.jpg")]
    public void FileNameSanitizer_makes_device_names_and_dot_names_safe_and_leaves_look_alikes(string input, string expected)
    {
        var clean = FileNameSanitizer.Sanitize(input, "jpg");

        Assert.Equal(expected, clean);
        AssertSafeName(clean);
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<HttpResponseMessage> SendAsync(SignedInClient nurse, HostileCase hostile, byte[] bytes)
    {
        HttpContent body = hostile.Chunked ? new StreamContent(new TestUploads.UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
        using var request = SignedInClient.UploadRequest(body, hostile.FileName, hostile.DeclaredType, nurse.Token);
        if (hostile.RawNameHeader)
        {
            // Sent exactly as written (already percent-encoded), not encoded once more.
            request.Headers.Remove(UploadApi.FileNameHeader);
            request.Headers.TryAddWithoutValidation(UploadApi.FileNameHeader, hostile.FileName);
        }
        var response = await nurse.Http.SendAsync(request);
        if (hostile.Chunked) Assert.Null(request.Content!.Headers.ContentLength);
        return response;
    }

    private static async Task AssertRefusedAsync(MediaFilesWebFactory app, HostileCase hostile, HttpResponseMessage response,
        StoreSnapshot before, Guid nurseId, int auditsBefore)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal(hostile.ExpectedStatus, problem.Status);
        Assert.NotNull(problem.Detail);
        Assert.Contains(hostile.ExpectedDetail!, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(hostile.ExpectedCode, problem.Code);
        // The message is for the user: never a server path or an exception.
        Assert.DoesNotContain(app.StorageRoot, problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(".part", problem.Detail, StringComparison.Ordinal);

        (await app.SnapshotAsync()).AssertSameAs(before);
        Assert.Empty(app.TempFiles());

        var audits = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.MediaUpload && a.UserId == nurseId).OrderBy(a => a.Id).ToListAsync());
        if (hostile.ExpectedCode is null)
        {
            // Refused before the endpoint ran (a form post): nothing was read, nothing to audit.
            Assert.Equal(auditsBefore, audits.Count);
            return;
        }
        Assert.Equal(auditsBefore + 1, audits.Count);
        var refusal = audits[^1];
        Assert.False(refusal.Success);
        Assert.Equal(hostile.ExpectedCode, refusal.Details);
        Assert.Null(refusal.MediaFileId);
    }

    private static async Task AssertStoredSafelyAsync(MediaFilesWebFactory app, HostileCase hostile, byte[] bytes,
        HttpResponseMessage response, StoreSnapshot before)
    {
        var reply = (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("saved", reply.Outcome);
        Assert.Equal(hostile.ExpectedStoredName, reply.FileName);
        AssertSafeName(reply.FileName);

        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == reply.MediaFileId));
        Assert.Equal(hostile.ExpectedStoredName, media.OriginalFilename);
        Assert.Equal("image/jpeg", media.MimeType);
        // The stored path comes from the id alone, never from the name.
        Assert.Matches($"^photos/\\d{{4}}/\\d{{2}}/originals/{media.Id:D}\\.jpg$", media.FilePath);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(app.FullPath(media.FilePath)));

        var after = await app.SnapshotAsync();
        Assert.Equal(before.MediaFiles + 1, after.MediaFiles);
        Assert.Equal(before.StagedUploads + 1, after.StagedUploads);
        Assert.Equal(before.Events, after.Events);
        var expectedFiles = new[] { MediaVariant.Original, MediaVariant.Large, MediaVariant.Medium, MediaVariant.Thumbnail }
            .Select(v => StoragePaths.Variant(media.FilePath, v)).Order(StringComparer.Ordinal);
        Assert.Equal(expectedFiles, after.Files.Except(before.Files).Order(StringComparer.Ordinal));
        Assert.Empty(before.Files.Except(after.Files));
        Assert.Empty(app.TempFiles());
    }

    /// <summary>Safe to keep and to put in a Content-Disposition header, and to save on any desktop.</summary>
    private static void AssertSafeName(string name)
    {
        Assert.InRange(name.Length, 1, FileNameSanitizer.MaxLength);
        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain('\\', name);
        Assert.False(name.Any(c => "<>:\"|?*".Contains(c)), $"'{name}' has a reserved character");
        Assert.False(name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format), $"'{name}' has a control or format character");
        Assert.False(name.StartsWith('.') || name.StartsWith(' '), $"'{name}' starts with a dot or space");
        Assert.False(name.EndsWith('.') || name.EndsWith(' '), $"'{name}' ends with a dot or space");
        var dot = name.IndexOf('.');
        var device = (dot < 0 ? name : name[..dot]).TrimEnd(' ');
        Assert.DoesNotContain(device, DeviceNames, StringComparer.OrdinalIgnoreCase);
    }

    private static void AssertServedOnlyAsAnImage(HttpResponseMessage response, string disposition, string fileName)
    {
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("sandbox", csp);
        Assert.DoesNotContain("allow-scripts", csp);
        Assert.DoesNotContain("script-src", csp);
        var contentDisposition = response.Content.Headers.ContentDisposition;
        Assert.NotNull(contentDisposition);
        Assert.Equal(disposition, contentDisposition.DispositionType);
        Assert.Equal(fileName, (contentDisposition.FileNameStar ?? contentDisposition.FileName)?.Trim('"'));
    }

    private static Task<int> UploadAuditsAsync(MediaFilesWebFactory app, Guid userId) =>
        app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.MediaUpload && a.UserId == userId));
}
