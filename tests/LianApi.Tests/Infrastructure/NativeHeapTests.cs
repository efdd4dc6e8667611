using System.Runtime.InteropServices;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// The native heap policy the app sets at start (scripts/bench-photos measures its effect: without it the peak resident
/// set grew by 160 MB over 50 photo uploads). Checked by what glibc did with one block, not by the resident set of a
/// test process shared with other fixtures.
/// </summary>
public sealed class NativeHeapTests
{
    private const int MB = 1024 * 1024;

    [Test]
    public async Task AfterTheAppStarted_ABlockLikeADecodedPhoto_IsMappedOnItsOwn_EvenAfterABiggerOneWasFreed()
    {
        Assume.That(IsGlibc(), "the policy concerns glibc's malloc only");
        await using var app = new LianApiFactory();
        using var client = app.CreateClient(); // the app's Program has run in this process
        Assume.That(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_"), Is.Null, "the operator chose the threshold");

        // glibc's dynamic threshold: freeing a 16 MB mapping would raise the threshold to 16 MB, and a 12 MB photo
        // would then be carved from an arena that is never given back.
        Marshal.FreeHGlobal(Marshal.AllocHGlobal(16 * MB));
        var photo = Marshal.AllocHGlobal(12 * MB);
        try
        {
            Assert.That(IsMapped(photo), Is.True, "a 12 MB block came from an arena, not a mapping of its own");
        }
        finally
        {
            Marshal.FreeHGlobal(photo);
        }
    }

    /// <summary>glibc marks a chunk served by mmap with bit 1 of the size word just before the pointer.</summary>
    private static bool IsMapped(nint block) => (Marshal.ReadInt64(block - 8) & 2) != 0;

    private static bool IsGlibc() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _);
}
