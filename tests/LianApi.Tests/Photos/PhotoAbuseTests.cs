using System.Net;
using Dapper;
using LianApi.Data;
using LianApi.Photos;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace LianApi.Tests.Photos;

/// <summary>
/// Issue 23, "broken images hold the photo decoder": one resident looping broken PNGs kept the decoder busy, so that
/// another resident's uploads waited and got 503. Refused uploads count against the limits, one resident has one
/// upload in flight, and a broken file is refused without a decode slot. The decoder is held by the test itself
/// (its only slot), so "without waiting for the decoder" is a fact, not a timing.
/// </summary>
public sealed class PhotoAbuseTests
{
    private static LianApiFactory Start(int uploadsPerHour = 100, int refusalsPerAddress = 1000, int queueSeconds = 30) => new(new Dictionary<string, string?>
    {
        ["Photos:UploadsPerHour"] = uploadsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Photos:RefusedUploadsPerHourPerAddress"] = refusalsPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Photos:MaxConcurrentDecodes"] = "1",
        ["Photos:QueueTimeout"] = TimeSpan.FromSeconds(queueSeconds).ToString(),
    });

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string name = "photo.jpg") =>
        client.PostAsync("/api/photos", TestImages.Form(bytes, name));

    private static byte[] Broken() => TestImages.Jpeg(800, 600)[..3000];

    [Test]
    public async Task Upload_RefusedImages_CountAgainstTheUploadersHourlyLimit()
    {
        await using var app = Start(uploadsPerHour: 3);
        using var resident = await app.LoginAsync("photo-looping-resident");
        for (var i = 0; i < 3; i++)
        {
            await ProblemAssert.IsProblem(await UploadAsync(resident, Broken()), HttpStatusCode.UnsupportedMediaType);
        }

        var fourth = await UploadAsync(resident, TestImages.Jpeg(100, 100));

        await AssertUploadLimitAsync(fourth);
    }

    [Test]
    public async Task Upload_RefusedImagesFromOneAddress_CountAgainstTheAddress()
    {
        await using var app = Start(refusalsPerAddress: 2);
        using var looping = await app.LoginAsync("photo-looping-resident-a");
        using var sameAddress = await app.LoginAsync("photo-resident-b-same-address");
        await ProblemAssert.IsProblem(await UploadAsync(looping, Broken()), HttpStatusCode.UnsupportedMediaType);
        var fromAnotherAccount = await UploadAsync(sameAddress, Broken());

        var afterTwo = await UploadAsync(sameAddress, TestImages.Jpeg(100, 100));

        await ProblemAssert.IsProblem(fromAnotherAccount, HttpStatusCode.UnsupportedMediaType);
        await AssertUploadLimitAsync(afterTwo);
    }

    private static async Task AssertUploadLimitAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.TooManyRequests);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("photo_upload_limit"));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        });
    }

    [Test]
    public async Task Sweep_RefusalsOlderThanAnHour_AreForgottenAndCountNoLonger()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(new Dictionary<string, string?> { ["Photos:UploadsPerHour"] = "1" },
            configureServices: s => s.AddSingleton<TimeProvider>(clock));
        using var resident = await app.LoginAsync("photo-resident-an-hour-later");
        await ProblemAssert.IsProblem(await UploadAsync(resident, Broken()), HttpStatusCode.UnsupportedMediaType);
        var withinTheHour = await UploadAsync(resident, TestImages.Jpeg(100, 100));

        clock.Advance(PhotoStore.UploadWindow + TimeSpan.FromSeconds(1));
        await app.Service<PhotoSweep>().RunOnceAsync(CancellationToken.None);
        var left = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM PhotoRefusals"), CancellationToken.None);
        var anHourLater = await UploadAsync(resident, TestImages.Jpeg(100, 100));

        Assert.Multiple(() =>
        {
            Assert.That(withinTheHour.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(left, Is.Zero);
            Assert.That(anHourLater.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
    }

    [Test]
    public async Task Upload_WhileTheSameUsersUploadWaitsForTheDecoder_Is429AndOtherUsersWait()
    {
        await using var app = Start();
        using var resident = await app.LoginAsync("photo-double-tap-resident");
        using var other = await app.LoginAsync("photo-patient-resident");
        var photo = TestImages.Jpeg(400, 300);
        var held = await app.Service<PhotoGate>().TryEnterAsync(CancellationToken.None);

        var first = UploadAsync(resident, photo);
        var second = UploadAsync(resident, photo);
        var others = UploadAsync(other, photo);
        // One of the resident's two is answered at once; a bound on the wait, not a measurement.
        await Task.WhenAny(Task.WhenAny(first, second), Task.Delay(TimeSpan.FromSeconds(10)));
        var answeredWhileBusy = new[] { first, second }.Count(t => t.IsCompleted);
        var otherAnsweredWhileBusy = others.IsCompleted;
        held!.Dispose();
        var responses = await Task.WhenAll(first, second);

        Assert.Multiple(async () =>
        {
            Assert.That(answeredWhileBusy, Is.EqualTo(1), "the resident's second upload is answered without waiting");
            Assert.That(otherAnsweredWhileBusy, Is.False, "another resident's upload waits for the decoder, it is not refused");
            Assert.That(responses.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.Created, HttpStatusCode.TooManyRequests }));
            var refused = responses.Single(r => r.StatusCode == HttpStatusCode.TooManyRequests);
            var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.TooManyRequests);
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("rate_limited"));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That((await others).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
    }

    private static IEnumerable<TestCaseData> BrokenImages()
    {
        yield return new TestCaseData(TestImages.PngOfZeros(6300, 6300, rows: 6298), "image.png")
            .SetName("Upload_PngWhoseImageDataEndsTwoRowsEarly_IsRefusedWithoutWaitingForTheDecoder");
        var png = TestImages.Encoded(SKEncodedImageFormat.Png);
        yield return new TestCaseData(png[..(png.Length - 20)], "cut.png").SetName("Upload_PngCutBeforeIend_IsRefusedWithoutWaitingForTheDecoder");
        yield return new TestCaseData(Broken(), "cut.jpg").SetName("Upload_JpegCutBeforeEoi_IsRefusedWithoutWaitingForTheDecoder");
        var webp = TestImages.Encoded(SKEncodedImageFormat.Webp);
        yield return new TestCaseData(webp[..(webp.Length / 2)], "cut.webp").SetName("Upload_WebpShorterThanItsRiffHeaderSays_IsRefusedWithoutWaitingForTheDecoder");
    }

    [TestCaseSource(nameof(BrokenImages))]
    public async Task Upload_BrokenImage_IsRefusedWithoutWaitingForTheDecoder(byte[] bytes, string name)
    {
        await using var app = Start(queueSeconds: 5);
        using var resident = await app.LoginAsync("photo-broken-image-resident");
        using var held = await app.Service<PhotoGate>().TryEnterAsync(CancellationToken.None);

        var response = await UploadAsync(resident, bytes, name);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType);
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("photo_unreadable"));
    }

    [Test]
    public async Task Upload_ValidImages_PassTheStructureChecks()
    {
        await using var app = Start();
        using var resident = await app.LoginAsync("photo-valid-resident");

        foreach (var (bytes, name) in new[]
                 {
                     (TestImages.Jpeg(640, 480), "a.jpg"),
                     (TestImages.Jpeg(640, 480).Concat("trailing bytes after EOI, as some phones write"u8.ToArray()).ToArray(), "trailer.jpg"),
                     (TestImages.Encoded(SKEncodedImageFormat.Png), "a.png"),
                     (TestImages.PngOfZeros(300, 200, bitDepth: 16, colorType: 6), "rgba16.png"),
                     (TestImages.PngOfZeros(301, 7, bitDepth: 1, colorType: 0), "grey1.png"),
                     (TestImages.PngOfZeros(333, 211, interlaced: true), "interlaced.png"),
                     (TestImages.Encoded(SKEncodedImageFormat.Webp), "a.webp"),
                 })
        {
            var response = await UploadAsync(resident, bytes, name);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{name}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
