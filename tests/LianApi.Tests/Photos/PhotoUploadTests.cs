using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Photos;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace LianApi.Tests.Photos;

/// <summary>Uploads the way wx.uploadFile sends them, over real HTTP, and the signed links that show them.</summary>
public sealed class PhotoUploadTests
{
    private static FakeTimeProvider clock = null!;
    private static LianApiFactory app = null!;
    private static HttpClient resident = null!;
    private static HttpClient otherResident = null!;
    private static HttpClient forgetfulResident = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        // Tokens are checked on the system clock, photo links on the app's: the fake clock starts now and only moves forward.
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        app = new LianApiFactory(new Dictionary<string, string?> { ["Photos:UploadsPerHour"] = "1000" },
            configureServices: s => s.AddSingleton<TimeProvider>(clock));
        resident = await app.LoginAsync("photo-resident");
        otherResident = await app.LoginAsync("photo-other-resident");
        forgetfulResident = await app.LoginAsync("photo-forgetful-resident");
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        resident.Dispose();
        otherResident.Dispose();
        forgetfulResident.Dispose();
        await app.DisposeAsync();
    }

    [Test]
    public async Task Upload_JpegWithGpsAndOrientation6_ComesBackUprightWithinTheSizeAndWithoutMetadata()
    {
        var upload = TestImages.WithExif(TestImages.Jpeg(3000, 2000), orientation: 6);
        Assert.That(Contains(upload, TestImages.GpsLatitude), "the upload carries the GPS block");

        var response = await resident.PostAsync("/api/photos", TestImages.Form(upload, "IMG_0001.jpg"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var photo = await new HttpClient { BaseAddress = resident.BaseAddress }.GetAsync(body.GetProperty("url").GetString());
        var bytes = await photo.Content.ReadAsByteArrayAsync();
        using var decoded = SKBitmap.Decode(bytes);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
            Assert.That(body.GetProperty("id").GetString(), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/photos/{body.GetProperty("id").GetString()}"));
            // 3000×2000 decodes at 5/8 (1875×1250, within 7/8 of 2048 px, so no resampling) and turns upright.
            Assert.That((body.GetProperty("width").GetInt32(), body.GetProperty("height").GetInt32()), Is.EqualTo((1250, 1875)), "turned upright, long edge ≤ 2048");
            Assert.That(photo.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a signed link needs no token");
            Assert.That(photo.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((1250, 1875)));
            // The stored top-left quarter (red) is the upright picture's top-right quarter after a 90° clockwise turn.
            Assert.That(Reddish(decoded.GetPixel(decoded.Width - 10, 10)), Is.True, "top right is red");
            Assert.That(Reddish(decoded.GetPixel(10, 10)), Is.False, "top left is blue");
            Assert.That(Reddish(decoded.GetPixel(decoded.Width - 10, decoded.Height - 10)), Is.False, "bottom right is blue");
            Assert.That(TestImages.SegmentMarkers(bytes), Has.None.InRange((byte)0xE1, (byte)0xEF).And.None.EqualTo((byte)0xFE), "no APP1–APP15 (EXIF, XMP, ICC) or COM segment");
            Assert.That(Contains(bytes, "Exif"u8.ToArray()) || Contains(bytes, "II*\0"u8.ToArray()) || Contains(bytes, TestImages.GpsLatitude), Is.False, "no EXIF or GPS bytes");
        });
    }

    [Test]
    public async Task Upload_Thumbnail_IsA400PixelJpegBehindItsOwnSignedLink()
    {
        var body = await UploadAsync(TestImages.Jpeg(1200, 900));
        var anonymous = new HttpClient { BaseAddress = resident.BaseAddress };

        var thumb = await anonymous.GetAsync(body.GetProperty("thumbUrl").GetString());
        using var decoded = SKBitmap.Decode(await thumb.Content.ReadAsByteArrayAsync());
        var photoSignature = Query(body.GetProperty("url").GetString()!);
        var thumbWithPhotoSignature = await anonymous.GetAsync($"/api/photos/{body.GetProperty("id").GetString()}/thumb?{photoSignature}");

        Assert.Multiple(() =>
        {
            Assert.That(thumb.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((400, 300)));
            Assert.That(thumbWithPhotoSignature.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a link signs one path, not its siblings");
        });
    }

    [Test]
    public async Task Upload_PngAndWebp_AreAcceptedAndBecomeJpeg()
    {
        foreach (var format in new[] { SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp })
        {
            var bytes = TestImages.Encoded(format);

            var response = await resident.PostAsync("/api/photos", TestImages.Form(bytes, "a.bin", "application/octet-stream"));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{format}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Test]
    public async Task Upload_PngBomb_IsRefusedFromItsHeaderBeforeDecoding()
    {
        var bomb = TestImages.PngBomb();
        Assert.That(bomb, Has.Length.LessThan(500_000), "well under a megabyte, declaring 400 megapixels");

        var watch = Stopwatch.StartNew();
        var response = await resident.PostAsync("/api/photos", TestImages.Form(bomb, "bomb.png", "image/png"));
        watch.Stop();

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("photo_too_many_pixels"));
        // Decoding 20000×20000 would take seconds and 1.6 GB; the header check takes milliseconds (generous for a shared machine).
        Assert.That(watch.ElapsedMilliseconds, Is.LessThan(2000));
    }

    private static IEnumerable<TestCaseData> NotPhotos()
    {
        yield return new TestCaseData(TestImages.Pdf(), "report.jpg", "photo_type_unsupported").SetName("Upload_PdfRenamedJpg_Is415");
        yield return new TestCaseData(TestImages.Gif(), "anim.gif", "photo_type_unsupported").SetName("Upload_Gif_Is415");
        yield return new TestCaseData(TestImages.Heic(), "IMG_0002.HEIC", "photo_type_unsupported").SetName("Upload_Heic_Is415");
        yield return new TestCaseData(TestImages.Svg(), "icon.jpg", "photo_type_unsupported").SetName("Upload_SvgWithScript_Is415");
        yield return new TestCaseData(TestImages.Jpeg(800, 600)[..3000], "cut.jpg", "photo_unreadable").SetName("Upload_TruncatedJpeg_Is415");
    }

    [TestCaseSource(nameof(NotPhotos))]
    public async Task Upload_NotAPhotoWeAccept_Is415WithACode(byte[] bytes, string fileName, string code)
    {
        var response = await resident.PostAsync("/api/photos", TestImages.Form(bytes, fileName));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType);
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(code));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Match(@"\p{IsCJKUnifiedIdeographs}"), "the resident reads Chinese");
    }

    [Test]
    public async Task Upload_ElevenMegabytes_Is413()
    {
        var big = TestImages.Jpeg(100, 100).Concat(new byte[11 * 1024 * 1024]).ToArray();

        // As a phone sends it: the body waits for 100 Continue, and Kestrel answers 413 from Content-Length alone, reading nothing.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = TestImages.Form(big) };
        request.Headers.ExpectContinue = true;
        var response = await resident.SendAsync(request);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("payload_too_large"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("10 MB"), "the upload's own limit, not the 256 KB of a report");
    }

    [Test]
    public async Task Upload_WithoutTheFileField_Is400()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };

        var response = await resident.PostAsync("/api/photos", form);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("file", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Upload_WithoutToken_Is401()
    {
        var anonymous = new HttpClient { BaseAddress = resident.BaseAddress };

        var response = await anonymous.PostAsync("/api/photos", TestImages.Form(TestImages.Jpeg(100, 100)));

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task SignedLink_TamperedOrExpired_Is403WithItsCode()
    {
        var body = await UploadAsync(TestImages.Jpeg(400, 300));
        var url = body.GetProperty("url").GetString()!;
        var anonymous = new HttpClient { BaseAddress = resident.BaseAddress };
        var expires = long.Parse(url.Split("expires=")[1].Split('&')[0]);

        var tamperedSignature = await anonymous.GetAsync(url[..^2] + (url[^2] == 'A' ? "BB" : "AA"));
        var longerLife = await anonymous.GetAsync(url.Replace($"expires={expires}", $"expires={expires + 86_400}"));
        var withoutSignature = await anonymous.GetAsync(url.Split('&')[0]);
        var fresh = await anonymous.GetAsync(url);
        clock.Advance(TimeSpan.FromMinutes(31));
        var expired = await anonymous.GetAsync(url);

        Assert.Multiple(async () =>
        {
            Assert.That((await ProblemAssert.IsProblem(tamperedSignature, HttpStatusCode.Forbidden)).GetProperty("code").GetString(), Is.EqualTo("photo_link_invalid"));
            Assert.That((await ProblemAssert.IsProblem(longerLife, HttpStatusCode.Forbidden)).GetProperty("code").GetString(), Is.EqualTo("photo_link_invalid"));
            Assert.That((await ProblemAssert.IsProblem(withoutSignature, HttpStatusCode.Forbidden)).GetProperty("code").GetString(), Is.EqualTo("photo_link_invalid"));
            Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await ProblemAssert.IsProblem(expired, HttpStatusCode.Forbidden)).GetProperty("code").GetString(), Is.EqualTo("photo_link_expired"));
        });
    }

    [Test]
    public async Task GetWithToken_OwnerOfAnUnattachedPhoto_GetsItCacheablePrivatelyAndUnchangedUntilItChanges()
    {
        var id = (await UploadAsync(TestImages.Jpeg(400, 300))).GetProperty("id").GetString();

        var first = await resident.GetAsync($"/api/photos/{id}");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{id}");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var again = await resident.SendAsync(request);
        var cache = first.Headers.CacheControl!;

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(first.Headers.ETag!.IsWeak, Is.False, "strong: the bytes never change");
            Assert.That(cache.Private && cache.MaxAge <= TimeSpan.FromMinutes(30), Is.True, cache.ToString());
            Assert.That(first.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(first.Content.Headers.ContentLength, Is.GreaterThan(0));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        });
    }

    [Test]
    public async Task GetWithToken_AnotherResident_Is404AndWithoutToken_Is401()
    {
        var id = (await UploadAsync(TestImages.Jpeg(400, 300))).GetProperty("id").GetString();
        var anonymous = new HttpClient { BaseAddress = resident.BaseAddress };

        var byOther = await otherResident.GetAsync($"/api/photos/{id}");
        var unknown = await resident.GetAsync($"/api/photos/{new string('0', 32)}");
        var noToken = await anonymous.GetAsync($"/api/photos/{id}");

        Assert.Multiple(async () =>
        {
            await ProblemAssert.IsProblem(byOther, HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(unknown, HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(noToken, HttpStatusCode.Unauthorized);
            Assert.That(noToken.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        });
    }

    [Test]
    public async Task Sweep_UnattachedPhotoAfter24Hours_IsDeleted()
    {
        var id = (await UploadAsync(TestImages.Jpeg(200, 200), forgetfulResident)).GetProperty("id").GetString();

        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await app.Service<PhotoStore>().DeleteUnattachedAsync(clock.GetUtcNow().UtcDateTime, CancellationToken.None);

        await ProblemAssert.IsProblem(await forgetfulResident.GetAsync($"/api/photos/{id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Upload_OverTheHourlyLimit_Is429WithRetryAfter()
    {
        await using var limited = new LianApiFactory(new Dictionary<string, string?> { ["Photos:UploadsPerHour"] = "2" });
        using var client = await limited.LoginAsync("photo-busy-resident");
        var jpeg = TestImages.Jpeg(100, 100);

        for (var i = 0; i < 2; i++)
        {
            (await client.PostAsync("/api/photos", TestImages.Form(jpeg))).EnsureSuccessStatusCode();
        }
        var third = await client.PostAsync("/api/photos", TestImages.Form(jpeg));

        var problem = await ProblemAssert.IsProblem(third, HttpStatusCode.TooManyRequests);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("photo_upload_limit"));
            Assert.That(third.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        });
    }

    private static async Task<JsonElement> UploadAsync(byte[] jpeg, HttpClient? client = null)
    {
        var response = await (client ?? resident).PostAsync("/api/photos", TestImages.Form(jpeg));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Query(string url) => url[(url.IndexOf('?') + 1)..];

    private static bool Reddish(SKColor c) => c.Red > 180 && c.Blue < 80;

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
