using LianApi.Photos;
using Microsoft.AspNetCore.Http;

namespace LianApi.Tests.Photos;

/// <summary>How an upload reaches the decoder: into native memory, byte for byte, without a managed copy of it.</summary>
public sealed class PhotoReadTests
{
    [Test]
    public async Task ReadAsync_AFiveMegabyteUpload_ArrivesWhole_WithoutAllocatingItAsAManagedArray()
    {
        var bytes = new byte[5 * 1024 * 1024];
        new Random(9).NextBytes(bytes);
        var file = new FormFile(new MemoryStream(bytes), 0, bytes.Length, "file", "IMG_0001.jpg");
        using (await PhotoCleaner.ReadAsync(file, CancellationToken.None)) { } // JIT warm-up

        // On a thread that never read an upload, as requests land on whichever pool thread is free: a buffer pooled by
        // another thread is not this one's.
        var (data, allocated) = (default(SkiaSharp.SKData)!, 0L);
        var reader = new Thread(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            data = PhotoCleaner.ReadAsync(file, CancellationToken.None).GetAwaiter().GetResult();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        reader.Start();
        reader.Join();
        using var _ = data;

        Assert.Multiple(() =>
        {
            Assert.That(data.Span.SequenceEqual(bytes), "the native copy equals the upload");
            // SKData.Create(Stream, length) read the upload through one pooled managed array of its size, which each
            // thread then kept: one large-object-heap array per server thread, a part of the peak memory that
            // scripts/bench-photos saw grow (the LOH held 62 MB after 60 uploads; 4 MB since).
            Assert.That(allocated, Is.LessThan(256 * 1024), $"{allocated} managed bytes allocated to read a 5 MB upload");
        });
    }
}
