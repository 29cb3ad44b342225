using MediaFiles.Core.Events;
using System.Security.Cryptography;
using System.Text;
using ImageMagick;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Core;

public sealed class ImageIngestPipelineTests
{
    private const string PhoneName = "IMG_20260315_095912.jpg";

    // ---------------------------------------------------------------- a phone photo

    [Fact]
    public async Task Phone_jpeg_is_saved_with_the_original_byte_identical_at_its_dated_path()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var input = TestImages.PhoneJpeg;

        var result = await host.IngestAsync(input, PhoneName, "image/jpeg", nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        Assert.Equal(PhoneName, result.FileName);
        Assert.Equal(input.Length, result.Size);
        Assert.Equal(3000, result.Width);
        Assert.Equal(4000, result.Height);

        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.Equal(result.MediaFileId, media.Id);
        Assert.Equal($"photos/2026/03/originals/{media.Id:D}.jpg", media.FilePath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(input)), media.Sha256);
        Assert.Equal("image/jpeg", media.MimeType);
        Assert.Equal(PhoneName, media.OriginalFilename);
        Assert.Equal(input.Length, media.Size);
        Assert.Equal(3000, media.Width);  // upright: orientation 6 turns the 4000 × 3000 stored pixels
        Assert.Equal(4000, media.Height);
        Assert.Equal(1, media.ReferenceCount);
        Assert.Equal(nurse.Id, media.StagedById);
        Assert.Contains("\"orientation\":6", media.MetadataJson);
        Assert.Contains("\"storedWidth\":4000", media.MetadataJson);

        var staged = await host.DbAsync(db => db.StagedUploads.AsNoTracking().SingleAsync());
        Assert.Equal(result.UploadId, staged.Id);
        Assert.Equal(media.Id, staged.MediaFileId);
        Assert.Equal(nurse.Id, staged.UploadedById);
        Assert.False(staged.WasDuplicate);
        Assert.Equal(host.Clock.UtcNow, staged.UploadedAt);

        var stored = await File.ReadAllBytesAsync(host.FullPath(media.FilePath));
        Assert.Equal(SHA256.HashData(input), SHA256.HashData(stored));
        Assert.Equal(input, stored);

        var id = media.Id.ToString("D");
        Assert.Equal(
            new[]
            {
                $"photos/2026/03/large/{id}.jpg",
                $"photos/2026/03/medium/{id}.jpg",
                $"photos/2026/03/originals/{id}.jpg",
                $"photos/2026/03/thumbnails/{id}.jpg",
            },
            host.StoredFiles());
    }

    [Fact]
    public async Task Phone_jpeg_variants_are_upright_and_exactly_fill_their_boxes()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var result = await host.IngestAsync(TestImages.PhoneJpeg, PhoneName, "image/jpeg", nurse.Id);
        var original = await OriginalPathAsync(host, result.MediaFileId);

        foreach (var (variant, width, height) in new[] { (MediaVariant.Large, 900u, 1200u), (MediaVariant.Medium, 600u, 800u), (MediaVariant.Thumbnail, 150u, 200u) })
        {
            var path = host.FullPath(StoragePaths.Variant(original, variant));
            var info = new MagickImageInfo(path);
            Assert.Equal(MagickFormat.Jpeg, info.Format);
            // The large one must really be 1200 on its long side (a rounded-down decode hint gives 1000).
            Assert.Equal((variant, width, height), (variant, info.Width, info.Height));

            using var image = new MagickImage(path);
            // Orientation 6 = turn 90° clockwise: the red block at the top-left of the stored pixels
            // ends at the top-right, the green block from the bottom-right at the bottom-left.
            Assert.True(IsRed(Pixel(image, 0.875, 0.125)), $"{variant}: top-right should be red, is {Pixel(image, 0.875, 0.125)}");
            Assert.True(IsGreen(Pixel(image, 0.125, 0.875)), $"{variant}: bottom-left should be green, is {Pixel(image, 0.125, 0.875)}");
            Assert.False(IsRed(Pixel(image, 0.125, 0.125)), $"{variant}: top-left should not be red");
            Assert.False(IsGreen(Pixel(image, 0.875, 0.875)), $"{variant}: bottom-right should not be green");
            Assert.False(IsRed(Pixel(image, 0.125, 0.875)) || IsGreen(Pixel(image, 0.875, 0.125)), $"{variant}: turned the wrong way");
        }
    }

    [Fact]
    public async Task Phone_jpeg_variants_carry_no_exif_gps_icc_or_xmp_and_have_their_own_quality()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        // The input really carries what must be removed, or this test would prove nothing.
        using (var source = new MagickImage())
        {
            source.Ping(TestImages.PhoneJpeg); // header and profiles only
            Assert.NotNull(source.GetExifProfile()?.GetValue(ExifTag.GPSLatitude));
            Assert.True(source.GetExifProfile()!.ThumbnailLength > 0, "the input should embed an EXIF thumbnail");
            Assert.Equal((ushort)6, source.GetExifProfile()?.GetValue(ExifTag.Orientation)?.Value);
            Assert.NotNull(source.GetColorProfile());
            Assert.NotNull(source.GetXmpProfile());
            Assert.Equal(92u, source.Quality);
        }
        Assert.True(Contains(TestImages.PhoneJpeg, "Exif\0\0"u8));
        Assert.True(Contains(TestImages.PhoneJpeg, "GPSLatitude"u8));
        Assert.Equal(2, CountOf(TestImages.PhoneJpeg, [0xFF, 0xD8, 0xFF])); // the photo and its EXIF thumbnail

        var result = await host.IngestAsync(TestImages.PhoneJpeg, PhoneName, "image/jpeg", nurse.Id);
        var original = await OriginalPathAsync(host, result.MediaFileId);

        foreach (var (variant, quality) in new[] { (MediaVariant.Large, 85u), (MediaVariant.Medium, 80u), (MediaVariant.Thumbnail, 75u) })
        {
            var path = host.FullPath(StoragePaths.Variant(original, variant));
            var bytes = await File.ReadAllBytesAsync(path);
            using var image = new MagickImage(bytes);

            Assert.Null(image.GetExifProfile());
            Assert.Null(image.GetProfile("exif"));
            Assert.Null(image.GetXmpProfile());
            Assert.Null(image.GetProfile("xmp"));
            Assert.Null(image.GetColorProfile());
            Assert.Null(image.GetProfile("icc"));
            Assert.Null(image.GetIptcProfile());
            Assert.Empty(image.ProfileNames);
            Assert.False(Contains(bytes, "Exif\0\0"u8), $"{variant} has an EXIF segment");
            Assert.False(Contains(bytes, "GPSLatitude"u8), $"{variant} has the XMP GPS position");
            Assert.False(Contains(bytes, "ICC_PROFILE"u8), $"{variant} has an ICC profile");
            Assert.Equal(1, CountOf(bytes, [0xFF, 0xD8, 0xFF])); // no embedded thumbnail
            Assert.Contains(image.Orientation, new[] { Orientation.Undefined, Orientation.TopLeft });
            Assert.Equal(ColorSpace.sRGB, image.ColorSpace);

            Assert.Equal((variant, quality), (variant, new MagickImageInfo(path).Quality));
        }
    }

    [Theory]
    [InlineData(1, 640, 480, 0.125, 0.125)] // as stored
    [InlineData(2, 640, 480, 0.875, 0.125)] // mirrored left-right
    [InlineData(3, 640, 480, 0.875, 0.875)] // turned 180°
    [InlineData(4, 640, 480, 0.125, 0.875)] // mirrored top-bottom
    [InlineData(5, 480, 640, 0.125, 0.125)] // transposed
    [InlineData(6, 480, 640, 0.875, 0.125)] // turned 90° clockwise
    [InlineData(7, 480, 640, 0.875, 0.875)] // transversed
    [InlineData(8, 480, 640, 0.125, 0.875)] // turned 90° anticlockwise
    public async Task Every_exif_orientation_is_turned_upright(int orientation, int width, int height, double redX, double redY)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var bytes = TestImages.OrientedJpeg(orientation);
        Assert.Equal((Orientation)orientation, new MagickImageInfo(bytes).Orientation);

        var result = await host.IngestAsync(bytes, "turned.jpg", "image/jpeg", nurse.Id);

        Assert.Equal((width, height), (result.Width, result.Height));
        var original = await OriginalPathAsync(host, result.MediaFileId);
        using var large = new MagickImage(host.FullPath(StoragePaths.Variant(original, MediaVariant.Large)));
        Assert.Equal(((uint)width, (uint)height), (large.Width, large.Height));
        foreach (var (x, y) in new[] { (0.125, 0.125), (0.875, 0.125), (0.125, 0.875), (0.875, 0.875) })
        {
            var expectRed = x == redX && y == redY;
            Assert.True(IsRed(Pixel(large, x, y)) == expectRed, $"orientation {orientation}: ({x}, {y}) red should be {expectRed}, is {Pixel(large, x, y)}");
        }
    }

    [Fact]
    public async Task Phone_jpeg_reports_its_stages_in_order()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var progress = new RecordingProgress();

        await host.IngestAsync(TestImages.SmallJpeg(), "small.jpg", "image/jpeg", nurse.Id, progress);
        Assert.Equal(new[] { UploadStage.Receiving, UploadStage.Checking, UploadStage.Variants }, progress.Reports);

        var again = new RecordingProgress();
        await host.IngestAsync(TestImages.SmallJpeg(), "small.jpg", "image/jpeg", nurse.Id, again);
        Assert.Equal(new[] { UploadStage.Receiving, UploadStage.Checking }, again.Reports);
    }

    [Fact]
    public async Task Capture_time_comes_from_exif_with_its_offset_on_a_duplicate_too()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var expected = new DateTime(2026, 3, 14, 17, 42, 7, DateTimeKind.Utc); // 18:42:07 at +01:00

        var saved = await host.IngestAsync(TestImages.PhoneJpeg, PhoneName, "image/jpeg", nurse.Id);
        var duplicate = await host.IngestAsync(TestImages.PhoneJpeg, "copy.jpg", "image/jpeg", nurse.Id);

        Assert.Equal(expected, saved.CapturedAt);
        Assert.Equal(IngestOutcome.Duplicate, duplicate.Outcome);
        Assert.Equal(expected, duplicate.CapturedAt);
        var metadata = await host.DbAsync(db => db.MediaFiles.Select(m => m.MetadataJson).SingleAsync());
        Assert.Contains("\"takenAt\":\"2026-03-14T18:42:07\"", metadata);
        Assert.Contains("\"takenAtOffsetMinutes\":60", metadata);
    }

    [Fact]
    public async Task An_image_without_exif_has_no_capture_time()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var result = await host.IngestAsync(TestImages.SmallJpeg(), "plain.jpg", "image/jpeg", nurse.Id);

        Assert.Null(result.CapturedAt);
    }

    [Theory]
    [InlineData("2026:03:14 18:42:07", "+01:00", 60)]
    [InlineData("2026:03:14 18:42:07", "-05:30", -330)]
    [InlineData("2026:03:14 18:42:07\0", "+00:00\0", 0)]
    [InlineData("2026:03:14 18:42:07", null, null)]
    [InlineData("2026:03:14 18:42:07", "local", null)]
    public void CameraTime_reads_the_exif_clock_and_offset(string dateTime, string? offset, int? offsetMinutes)
    {
        var parsed = CameraTime.Parse(dateTime, offset);

        Assert.NotNull(parsed);
        Assert.Equal(new DateTime(2026, 3, 14, 18, 42, 7), parsed.Local);
        Assert.Equal(DateTimeKind.Unspecified, parsed.Local.Kind);
        Assert.Equal(offsetMinutes, (int?)parsed.Offset?.TotalMinutes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0000:00:00 00:00:00")] // cameras with no clock set
    [InlineData("1980:01:01 00:00:00")] // a reset clock
    [InlineData("2026-03-14T18:42:07")]
    [InlineData("not a date")]
    public void CameraTime_ignores_a_missing_or_implausible_clock(string? dateTime)
    {
        Assert.Null(CameraTime.Parse(dateTime, "+01:00"));
    }

    // ---------------------------------------------------------------- PNG and WebP

    [Fact]
    public async Task Png_with_alpha_is_saved_with_jpeg_variants_on_white()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        using (var source = new MagickImage(TestImages.PngWithAlpha))
            Assert.True(source.HasAlpha);

        var result = await host.IngestAsync(TestImages.PngWithAlpha, "wound-diagram.png", "image/png", nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        Assert.Equal((400, 300), (result.Width, result.Height));
        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.Equal("image/png", media.MimeType);
        Assert.Equal($"photos/2026/03/originals/{media.Id:D}.png", media.FilePath);
        Assert.Equal(TestImages.PngWithAlpha, await File.ReadAllBytesAsync(host.FullPath(media.FilePath)));

        foreach (var (variant, width, height) in new[] { (MediaVariant.Large, 400u, 300u), (MediaVariant.Medium, 400u, 300u), (MediaVariant.Thumbnail, 200u, 150u) })
        {
            var relative = StoragePaths.Variant(media.FilePath, variant);
            Assert.EndsWith(".jpg", relative);
            var path = host.FullPath(relative);
            Assert.Equal(MagickFormat.Jpeg, new MagickImageInfo(path).Format);
            using var image = new MagickImage(path);
            Assert.Equal((variant, width, height), (variant, image.Width, image.Height)); // never enlarged
            Assert.False(image.HasAlpha);
            var corner = Pixel(image, 0.05, 0.05);
            Assert.True(corner.R >= 245 && corner.G >= 245 && corner.B >= 245, $"{variant}: transparent corner should be white, is {corner}");
            var middle = Pixel(image, 0.5, 0.5);
            Assert.True(middle.B >= 200 && middle.R <= 50 && middle.G <= 50, $"{variant}: middle should be blue, is {middle}");
        }
    }

    [Fact]
    public async Task WebP_is_saved_with_jpeg_variants()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var result = await host.IngestAsync(TestImages.WebP, "chart.webp", "image/webp", nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        Assert.Equal((320, 240), (result.Width, result.Height));
        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.Equal("image/webp", media.MimeType);
        Assert.Equal($"photos/2026/03/originals/{media.Id:D}.webp", media.FilePath);
        Assert.Equal(TestImages.WebP, await File.ReadAllBytesAsync(host.FullPath(media.FilePath)));
        var thumbnail = new MagickImageInfo(host.FullPath(StoragePaths.Variant(media.FilePath, MediaVariant.Thumbnail)));
        Assert.Equal((MagickFormat.Jpeg, 200u, 150u), (thumbnail.Format, thumbnail.Width, thumbnail.Height));
        Assert.Equal(4, host.CountStoredFiles());
    }

    // ---------------------------------------------------------------- HEIC (iPhone) and AVIF

    [Fact]
    public async Task Heic_is_saved_byte_exact_with_upright_stripped_jpeg_variants_and_its_capture_time()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        // Stored 128 × 96 with red top-left; irot turns it a quarter anticlockwise, so upright it is
        // 96 × 128 with red at the bottom left. The EXIF orientation 6 says the same turn again: applied
        // on top of irot it would put the red back at the top left.
        var input = await TestHeic.CreateAsync(irotQuarterTurnsAnticlockwise: 1, exifOrientation: 6);
        Assert.Equal(FileTypeSniffer.Heic, FileTypeSniffer.Sniff(input));

        var result = await host.IngestAsync(input, "IMG_0042.HEIC", "image/heic", nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        Assert.Equal((96, 128), (result.Width, result.Height));
        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.Equal("image/heic", media.MimeType);
        Assert.EndsWith($"originals/{media.Id:D}.heic", media.FilePath);
        Assert.Equal(input, await File.ReadAllBytesAsync(host.FullPath(media.FilePath)));
        Assert.NotNull(media.CapturedAt); // from EXIF DateTimeOriginal with its offset, as for a JPEG
        Assert.Equal(new DateTime(2026, 3, 15, 8, 30, 0, DateTimeKind.Utc), media.CapturedAt);

        foreach (var variant in new[] { MediaVariant.Large, MediaVariant.Medium, MediaVariant.Thumbnail })
        {
            var bytes = await File.ReadAllBytesAsync(host.FullPath(StoragePaths.Variant(media.FilePath, variant)));
            using var image = new MagickImage(bytes);
            Assert.Equal(MagickFormat.Jpeg, image.Format);
            Assert.Equal(96u * image.Height, 128u * image.Width);
            Assert.Null(image.GetExifProfile());
            Assert.False(Contains(bytes, "Exif\0\0"u8), $"{variant} has an EXIF segment");
            Assert.True(IsRed(Pixel(image, 0.1, 0.9)), $"{variant}: bottom left should be red, is {Pixel(image, 0.1, 0.9)}");
            Assert.False(IsRed(Pixel(image, 0.1, 0.1)), $"{variant}: top left should not be red (turned twice?)");
            Assert.False(IsRed(Pixel(image, 0.9, 0.1)));
            Assert.False(IsRed(Pixel(image, 0.9, 0.9)));
        }
    }

    [Fact]
    public async Task Heic_without_irot_ignores_its_exif_orientation()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var input = await TestHeic.CreateAsync(exifOrientation: 6, seed: 5);

        var result = await host.IngestAsync(input, "IMG_0043.heic", "image/heif", nurse.Id);

        Assert.Equal((TestHeic.StoredWidth, TestHeic.StoredHeight), (result.Width, result.Height));
        var original = await OriginalPathAsync(host, result.MediaFileId);
        using var large = new MagickImage(host.FullPath(StoragePaths.Variant(original, MediaVariant.Large)));
        Assert.True(IsRed(Pixel(large, 0.1, 0.1)), $"top left should be red, is {Pixel(large, 0.1, 0.1)}");
    }

    [Fact]
    public async Task Truncated_heic_is_refused_as_damaged_and_leaves_nothing()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, await TestHeic.TruncatedAsync(), "IMG_0044.HEIC", "image/heic");

        Assert.Equal("unreadable", refused.Code);
        Assert.Equal("The HEIC image could not be decoded: it may be damaged or incomplete.", refused.Message);
    }

    [Fact]
    public async Task Avif_is_saved_with_jpeg_variants()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        using var source = new MagickImage(MagickColors.Blue, 120, 80);
        source.Format = MagickFormat.Avif;
        var input = source.ToByteArray();
        Assert.Equal(FileTypeSniffer.Avif, FileTypeSniffer.Sniff(input));

        var result = await host.IngestAsync(input, "scan.avif", "image/avif", nurse.Id);

        Assert.Equal((120, 80), (result.Width, result.Height));
        var original = await OriginalPathAsync(host, result.MediaFileId);
        Assert.EndsWith(".avif", original);
        Assert.Equal(MagickFormat.Jpeg, new MagickImageInfo(host.FullPath(StoragePaths.Variant(original, MediaVariant.Thumbnail))).Format);
    }

    [Theory]
    [InlineData("heic", "mif1heic", "HEIC")]
    [InlineData("mif1", "mif1heic", "HEIC")]
    [InlineData("mif1", "mif1avifmiaf", "AVIF")]
    [InlineData("avif", "mif1avif", "AVIF")]
    [InlineData("msf1", "msf1hevc", "HEIC")]
    [InlineData("isom", "isomheicmp41", "MP4")] // a video's major brand stays a video
    public void Heif_brands_decide_heic_or_avif(string major, string compatible, string expected)
    {
        var header = new byte[64];
        var ftyp = System.Text.Encoding.ASCII.GetBytes("ftyp" + major + "\0\0\0\0" + compatible);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(ftyp.Length + 4));
        ftyp.CopyTo(header, 4);
        Assert.Equal(expected, FileTypeSniffer.Sniff(header)?.Name);
    }

    [Fact]
    public void Accepted_types_and_the_picker_name_heic()
    {
        Assert.Contains(FileTypeSniffer.Heic, AcceptedFiles.Images);
        Assert.Contains("image/heic", AcceptedFiles.BrowserAccept(photosOnly: true));
        Assert.Contains(".heic", AcceptedFiles.BrowserAccept(photosOnly: true));
        Assert.StartsWith("JPEG, PNG, WebP, HEIC or AVIF photos", AcceptedFiles.Describe(new MediaFiles.Core.MediaFilesOptions(), photosOnly: true));
    }

    [Fact]
    public async Task Cmyk_jpeg_without_a_profile_gets_srgb_variants_with_the_right_colours()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var cmyk = TestImages.CmykJpeg();
        using (var source = new MagickImage(cmyk))
        {
            Assert.Equal(ColorSpace.CMYK, source.ColorSpace);
            Assert.Null(source.GetColorProfile());
        }

        var result = await host.IngestAsync(cmyk, "print.jpg", "image/jpeg", nurse.Id);

        var original = await OriginalPathAsync(host, result.MediaFileId);
        using var large = new MagickImage(host.FullPath(StoragePaths.Variant(original, MediaVariant.Large)));
        Assert.Equal(ColorSpace.sRGB, large.ColorSpace);
        Assert.Null(large.GetColorProfile());
        var left = Pixel(large, 0.25, 0.5);
        var right = Pixel(large, 0.75, 0.5);
        Assert.True(left.R > 180 && left.G < 90 && left.B < 90, $"left should be red, is {left}");
        Assert.True(right.B > 120 && right.R < 90 && right.G < 90, $"right should be blue, is {right}");
    }

    [Theory]
    [InlineData("image/jpg")]
    [InlineData("image/pjpeg")]
    [InlineData("application/octet-stream")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("image/jpeg; charset=binary")]
    public async Task Jpeg_declared_with_an_alias_or_no_claim_is_accepted(string? mime)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var result = await host.IngestAsync(TestImages.SmallJpeg(), "photo.JPEG", mime, nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        Assert.Equal(4, host.CountStoredFiles());
    }

    // ---------------------------------------------------------------- dedup

    [Fact]
    public async Task Same_bytes_twice_is_a_duplicate_of_the_same_blob_with_no_new_files()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var reviewer = await host.UserAsync("reviewer");
        var bytes = TestImages.SmallJpeg(seed: 5);

        var first = await host.IngestAsync(bytes, "first.jpg", "image/jpeg", nurse.Id);
        var filesAfterFirst = host.StoredFiles();
        var second = await host.IngestAsync(bytes, "second name.jpg", "image/jpeg", reviewer.Id);

        Assert.Equal(IngestOutcome.Saved, first.Outcome);
        Assert.Equal(IngestOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.MediaFileId, second.MediaFileId);
        Assert.NotEqual(first.UploadId, second.UploadId);
        Assert.Equal("second name.jpg", second.FileName);
        Assert.Equal((first.Size, first.Width, first.Height), (second.Size, second.Width, second.Height));

        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.Equal(2, media.ReferenceCount);
        Assert.Equal("first.jpg", media.OriginalFilename);

        var staged = await host.DbAsync(db => db.StagedUploads.AsNoTracking().OrderBy(s => s.WasDuplicate).ToListAsync());
        Assert.Equal(2, staged.Count);
        Assert.Equal((first.UploadId, nurse.Id, false), (staged[0].Id, staged[0].UploadedById, staged[0].WasDuplicate));
        Assert.Equal((second.UploadId, reviewer.Id, true), (staged[1].Id, staged[1].UploadedById, staged[1].WasDuplicate));

        Assert.Equal(4, filesAfterFirst.Count);
        Assert.Equal(filesAfterFirst, host.StoredFiles());
        Assert.Empty(host.TempFiles());
    }

    [Fact]
    public async Task Different_bytes_are_different_blobs()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var a = await host.IngestAsync(TestImages.SmallJpeg(seed: 1), "a.jpg", "image/jpeg", nurse.Id);
        var b = await host.IngestAsync(TestImages.SmallJpeg(seed: 2), "a.jpg", "image/jpeg", nurse.Id);

        Assert.Equal(IngestOutcome.Saved, b.Outcome);
        Assert.NotEqual(a.MediaFileId, b.MediaFileId);
        Assert.Equal(8, host.CountStoredFiles());
    }

    [Fact]
    public async Task Two_identical_uploads_at_once_keep_one_blob_with_two_references()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var bytes = TestImages.SmallJpeg(seed: 7, width: 2400, height: 1800);

        var results = await Task.WhenAll(
            Task.Run(() => host.IngestAsync(bytes, "one.jpg", "image/jpeg", nurse.Id)),
            Task.Run(() => host.IngestAsync(bytes, "two.jpg", "image/jpeg", nurse.Id)));

        Assert.Single(results.Select(r => r.MediaFileId).Distinct());
        Assert.Contains(results, r => r.Outcome == IngestOutcome.Saved);
        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.Equal(2, media.ReferenceCount);
        Assert.Equal(2, await host.DbAsync(db => db.StagedUploads.CountAsync(s => s.MediaFileId == media.Id)));
        Assert.Equal(4, host.CountStoredFiles());
    }

    // ---------------------------------------------------------------- refusals

    [Fact]
    public async Task Too_large_is_refused_with_the_limit_and_leaves_nothing()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Images:MaxBytes"] = "2048" });
        var bytes = TestImages.SmallJpeg();
        Assert.True(bytes.Length > 2048);

        var refused = await RefusedAsync(host, bytes, "big.jpg", "image/jpeg");

        Assert.Equal("too_large", refused.Code);
        Assert.Equal("The file is larger than 2 KB, the most a photo may be.", refused.Message);
    }

    [Fact]
    public async Task Too_large_stops_reading_just_past_the_limit()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Images:MaxBytes"] = "100000" });
        var nurse = await host.UserAsync("nurse");
        var body = new EndlessStream();

        var refused = await Assert.ThrowsAsync<IngestRefusedException>(() => host.WithAsync<MediaIngest>(p =>
            p.IngestAsync(body, new IngestRequest(nurse.Id, "endless.jpg", "image/jpeg", MediaCategory.Photos), null, CancellationToken.None)));

        Assert.Equal("too_large", refused.Code);
        Assert.Equal(100_001, body.BytesRead);
        await host.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task Exactly_the_limit_is_accepted()
    {
        var bytes = TestImages.SmallJpeg();
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Images:MaxBytes"] = bytes.Length.ToString() });
        var nurse = await host.UserAsync("nurse");

        var result = await host.IngestAsync(bytes, "exact.jpg", "image/jpeg", nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
    }

    [Fact]
    public async Task Gif_is_refused_saying_what_to_save_it_as()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.GifImage, "animation.gif", "image/gif");

        Assert.Equal("type_not_accepted", refused.Code);
        Assert.Equal("GIF is not accepted: save it as PNG or JPEG.", refused.Message);
    }

    [Fact]
    public async Task Png_named_jpg_is_a_type_mismatch()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.PngWithAlpha, "photo.jpg", "image/jpeg");

        Assert.Equal("type_mismatch", refused.Code);
        Assert.Equal("The file is a PNG image but is named .jpg: rename it to .png.", refused.Message);
    }

    [Fact]
    public async Task Jpeg_without_an_extension_is_a_type_mismatch()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.SmallJpeg(), "photo", "image/jpeg");

        Assert.Equal("type_mismatch", refused.Code);
        Assert.Equal("The file is a JPEG image but has no extension: rename it to .jpg.", refused.Message);
    }

    [Fact]
    public async Task Jpeg_declared_as_png_is_a_type_mismatch()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.SmallJpeg(), "photo.jpg", "image/png");

        Assert.Equal("type_mismatch", refused.Code);
        Assert.Equal("The file was sent as image/png but its content is JPEG (image/jpeg).", refused.Message);
    }

    [Fact]
    public async Task Linux_program_named_jpg_is_refused()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.ElfProgram(), "holiday.jpg", "image/jpeg");

        Assert.Equal("type_not_accepted", refused.Code);
        Assert.Equal("A Linux program is not accepted: send a photo (JPEG, PNG, WebP, HEIC or AVIF) or a clip (MP4, MOV or WebM).", refused.Message);
    }

    [Fact]
    public async Task Windows_program_named_jpg_is_refused()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.WindowsProgram(), "holiday.jpg", "image/jpeg");

        Assert.Equal("type_not_accepted", refused.Code);
        Assert.Equal("A Windows program is not accepted: send a photo (JPEG, PNG, WebP, HEIC or AVIF) or a clip (MP4, MOV or WebM).", refused.Message);
    }

    [Fact]
    public async Task Empty_file_is_refused()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, [], "empty.jpg", "image/jpeg");

        Assert.Equal("empty", refused.Code);
        Assert.Equal("The file is empty.", refused.Message);
    }

    [Fact]
    public async Task Image_over_max_side_is_refused_before_decoding()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Images:MaxSide"] = "100" });

        var refused = await RefusedAsync(host, TestImages.SmallJpeg(), "wide.jpg", "image/jpeg");

        Assert.Equal("too_many_pixels", refused.Code);
        Assert.Equal("The image is 640 × 480 px: at most 100 px a side is accepted.", refused.Message);
    }

    [Fact]
    public async Task Image_over_max_pixels_is_refused()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Images:MaxPixels"] = "100000" });

        var refused = await RefusedAsync(host, TestImages.SmallJpeg(), "many.jpg", "image/jpeg");

        Assert.Equal("too_many_pixels", refused.Code);
        Assert.StartsWith("The image has ", refused.Message);
        Assert.Contains("megapixels", refused.Message);
    }

    [Fact]
    public async Task Garbage_after_a_jpeg_signature_is_refused_as_unreadable()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.GarbageJpeg(), "broken.jpg", "image/jpeg");

        Assert.Equal("unreadable", refused.Code);
        Assert.StartsWith("The file starts like a JPEG image but its header cannot be read", refused.Message);
    }

    [Fact]
    public async Task Jpeg_whose_pixels_cannot_be_decoded_is_refused_at_the_variant_stage_and_leaves_nothing()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var progress = new RecordingProgress();

        var refused = await Assert.ThrowsAsync<IngestRefusedException>(() =>
            host.IngestAsync(TestImages.JpegWithoutQuantizationTables(), "broken.jpg", "image/jpeg", nurse.Id, progress));

        Assert.Equal("unreadable", refused.Code);
        Assert.Contains("could not be", refused.Message);
        Assert.Equal(UploadStage.Variants, progress.Reports[^1]); // it got past the header checks
        await host.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task Text_file_is_refused()
    {
        await using var host = await CoreTestHost.CreateAsync();

        var refused = await RefusedAsync(host, TestImages.TextFile(), "notes.txt", "text/plain");

        Assert.Equal("type_not_accepted", refused.Code);
        // Named neither photo nor clip: the message lists both.
        Assert.Equal("This is not a photo or a video clip MediaFiles can read: photos as JPEG, PNG, WebP, HEIC or AVIF, clips as MP4, MOV or WebM.", refused.Message);
    }

    [Fact]
    public async Task Svg_named_png_is_refused()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var svg = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");

        var refused = await RefusedAsync(host, svg, "icon.png", "image/png");

        Assert.Equal("type_not_accepted", refused.Code);
        Assert.StartsWith("SVG/XML or HTML is not accepted", refused.Message);
    }

    [Fact]
    public async Task A_refusal_after_a_saved_upload_leaves_the_saved_one_alone()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        await host.IngestAsync(TestImages.SmallJpeg(), "ok.jpg", "image/jpeg", nurse.Id);
        var before = host.StoredFiles();

        await Assert.ThrowsAsync<IngestRefusedException>(() =>
            host.IngestAsync(TestImages.JpegWithoutQuantizationTables(), "broken.jpg", "image/jpeg", nurse.Id));

        Assert.Equal(before, host.StoredFiles());
        Assert.Equal(1, await host.DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.Equal(1, await host.DbAsync(db => db.StagedUploads.CountAsync()));
    }

    [Fact]
    public async Task A_failure_while_placing_removes_what_was_placed_and_every_temp_file()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        // A file where the "large" folder must go: the original is placed, then the large variant fails.
        var blocker = TestImages.Save([1, 2, 3], host.FullPath("photos/2026/03"), "large");

        await Assert.ThrowsAnyAsync<IOException>(() => host.IngestAsync(TestImages.SmallJpeg(), "photo.jpg", "image/jpeg", nurse.Id));

        Assert.Equal(new[] { "photos/2026/03/large" }, host.StoredFiles());
        Assert.True(File.Exists(blocker));
        Assert.Equal(0, await host.DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.Equal(0, await host.DbAsync(db => db.StagedUploads.CountAsync()));
    }

    [Theory]
    [InlineData(UploadStage.Checking)]
    [InlineData(UploadStage.Variants)]
    public async Task A_cancelled_upload_leaves_nothing(UploadStage cancelAt)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(stage => { if (stage == cancelAt) cts.Cancel(); });
        await using var body = new MemoryStream(TestImages.PhoneJpeg);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.WithAsync<MediaIngest>(p =>
            p.IngestAsync(body, new IngestRequest(nurse.Id, PhoneName, "image/jpeg", MediaCategory.Photos), progress, cts.Token)));

        Assert.Equal(cancelAt, progress.Reports[^1]);
        await host.AssertNothingLeftBehindAsync();
    }

    // ---------------------------------------------------------------- pieces

    [Theory]
    [InlineData(@"C:\Users\nora\DCIM\IMG_0001.JPG", "IMG_0001.JPG")]
    [InlineData("../../etc/passwd.jpg", "passwd.jpg")]
    [InlineData("/var/tmp/photo.png", "photo.png")]
    [InlineData("a<b>c:d\"e|f?g*h.jpg", "a_b_c_d_e_f_g_h.jpg")]
    [InlineData("tab\there\u0000.jpg", "tab_here_.jpg")]
    [InlineData("\u202Egnp.exe", "_gnp.exe")] // right-to-left override
    [InlineData("  spaced.jpg  ", "spaced.jpg")]
    [InlineData("photo.jpg.", "photo.jpg")]
    [InlineData("Wunde Ko\u0308rper.jpg", "Wunde Körper.jpg")] // normalised to NFC
    [InlineData("Wound 😀.jpg", "Wound 😀.jpg")]
    [InlineData("", "upload.jpg")]
    [InlineData(null, "upload.jpg")]
    [InlineData("   ", "upload.jpg")]
    [InlineData("...", "upload.jpg")]
    [InlineData("folder/", "upload.jpg")]
    public void FileNameSanitizer_keeps_a_safe_base_name(string? input, string expected)
    {
        Assert.Equal(expected, FileNameSanitizer.Sanitize(input, "jpg"));
    }

    [Fact]
    public void FileNameSanitizer_shortens_long_names_keeping_the_extension()
    {
        var name = new string('a', 150) + ".jpeg";

        var clean = FileNameSanitizer.Sanitize(name, "jpg");

        Assert.Equal(FileNameSanitizer.MaxLength, clean.Length);
        Assert.Equal(new string('a', 95) + ".jpeg", clean);
    }

    [Fact]
    public void FileNameSanitizer_never_cuts_a_character_in_half()
    {
        // 95 + 2 × 2 (emoji are surrogate pairs) + 4 = 103 characters: the cut at 96 falls inside the first emoji.
        var name = new string('a', 95) + "😀😀.jpg";

        var clean = FileNameSanitizer.Sanitize(name, "jpg");

        Assert.True(clean.Length <= FileNameSanitizer.MaxLength);
        Assert.EndsWith(".jpg", clean);
        Assert.StartsWith(new string('a', 95), clean);
        Assert.True(clean.EnumerateRunes().All(r => r != Rune.ReplacementChar), "the name has a lone surrogate");
        Assert.Equal(clean, clean.Normalize()); // a lone surrogate would make Normalize throw
        Assert.Equal(new string('a', 95) + ".jpg", clean); // the whole emoji goes, not half of it
    }

    [Fact]
    public void FileNameSanitizer_cuts_an_absurd_extension_with_the_rest()
    {
        var clean = FileNameSanitizer.Sanitize("x." + new string('e', 200), "png");

        Assert.Equal(FileNameSanitizer.MaxLength, clean.Length);
        Assert.StartsWith("x.eee", clean);
    }

    [Fact]
    public void FileNameSanitizer_uses_the_detected_extension_for_the_fallback()
    {
        Assert.Equal("upload.png", FileNameSanitizer.Sanitize("", "png"));
    }

    [Theory]
    [InlineData(4000, 3000, 1200, 1500u, 1125u)] // M = 3: 3/8 ≥ 0.3
    [InlineData(3000, 4000, 1200, 1125u, 1500u)]
    [InlineData(4032, 3024, 1200, 1512u, 1134u)]
    [InlineData(6000, 4000, 1200, 1500u, 1000u)] // M = 2
    [InlineData(2400, 1800, 1200, 1200u, 900u)]  // M = 4 exactly
    [InlineData(4001, 3001, 1200, 1501u, 1126u)] // rounds up, never under the box
    public void JpegScaleHint_asks_for_the_smallest_eighth_that_covers_the_box(int width, int height, int box, uint hintWidth, uint hintHeight)
    {
        var hint = ImageVariantWriter.JpegScaleHint(width, height, box);

        Assert.NotNull(hint);
        Assert.Equal((hintWidth, hintHeight), (hint.Width, hint.Height));
        Assert.True(Math.Max(hint.Width, hint.Height) >= box);
    }

    [Theory]
    [InlineData(800, 600, 1200)]   // already inside the box
    [InlineData(1200, 900, 1200)]  // exactly the box
    [InlineData(1300, 1000, 1200)] // needs more than 7/8: decode in full
    public void JpegScaleHint_is_null_when_no_smaller_scale_covers_the_box(int width, int height, int box)
    {
        Assert.Null(ImageVariantWriter.JpegScaleHint(width, height, box));
    }

    [Fact]
    public void JpegScaleHint_really_decodes_at_least_the_box()
    {
        var hint = ImageVariantWriter.JpegScaleHint(TestImages.PhoneWidth, TestImages.PhoneHeight, 1200);
        Assert.NotNull(hint);

        var settings = new MagickReadSettings(new ImageMagick.Formats.JpegReadDefines { Size = hint });
        using var decoded = new MagickImage(TestImages.PhoneJpeg, settings);

        Assert.Equal((hint.Width, hint.Height), (decoded.Width, decoded.Height));
        Assert.True(decoded.Width >= 1200);
        Assert.True(decoded.Width < TestImages.PhoneWidth); // the hint did shrink the decode
    }

    [Theory]
    [InlineData(25L * 1024 * 1024, "25 MB")]
    [InlineData(2048L, "2 KB")]
    [InlineData(1000L, "1000 bytes")]
    public void SizeText_names_limits_the_way_people_read_them(long bytes, string expected)
    {
        Assert.Equal(expected, SizeText.Of(bytes));
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<IngestRefusedException> RefusedAsync(CoreTestHost host, byte[] bytes, string fileName, string? mime)
    {
        var nurse = await host.UserAsync("nurse");
        var refused = await Assert.ThrowsAsync<IngestRefusedException>(() => host.IngestAsync(bytes, fileName, mime, nurse.Id));
        await host.AssertNothingLeftBehindAsync();
        return refused;
    }

    private static Task<string> OriginalPathAsync(CoreTestHost host, Guid mediaFileId) =>
        host.DbAsync(db => db.MediaFiles.Where(m => m.Id == mediaFileId).Select(m => m.FilePath).SingleAsync());

    private static IMagickColor<byte> Pixel(MagickImage image, double fx, double fy)
    {
        using var pixels = image.GetPixels();
        return pixels.GetPixel((int)(image.Width * fx), (int)(image.Height * fy)).ToColor()!;
    }

    private static bool IsRed(IMagickColor<byte> c) => c.R >= 200 && c.G <= 60 && c.B <= 60;
    private static bool IsGreen(IMagickColor<byte> c) => c.G >= 150 && c.R <= 60 && c.B <= 60;

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static int CountOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        for (var rest = haystack.AsSpan(); rest.IndexOf(needle) is var at and >= 0; rest = rest[(at + needle.Length)..]) count++;
        return count;
    }

    /// <summary>Records the stages synchronously (Progress&lt;T&gt; would post them later).</summary>
    private sealed class RecordingProgress(Action<UploadStage>? onReport = null) : IProgress<IngestStage>
    {
        public List<UploadStage> Reports { get; } = [];

        public void Report(IngestStage value)
        {
            Reports.Add(value.Stage);
            onReport?.Invoke(value.Stage);
        }
    }

    /// <summary>A request body that never ends: JPEG signature, then zeros. Counts what was read.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ReadOnlySpan<byte> signature = [0xFF, 0xD8, 0xFF];
            for (var i = 0; i < count; i++)
            {
                var at = BytesRead + i;
                buffer[offset + i] = at < signature.Length ? signature[(int)at] : (byte)0;
            }
            BytesRead += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
