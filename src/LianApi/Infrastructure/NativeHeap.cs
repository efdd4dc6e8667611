using System.Runtime.InteropServices;

namespace LianApi.Infrastructure;

/// <summary>
/// The native heap policy for Skia's large, short-lived blocks (decoded photos, posters).
/// glibc serves a block above its mmap threshold with its own mapping and gives it back when freed, but then raises the
/// threshold to that block's size (up to 32 MB), so every later photo is carved from per-thread arenas that are never
/// returned, and the resident set grows with every upload (scripts/bench-photos; figures in the README). A fixed
/// threshold turns that adjustment off and keeps each large block a mapping of its own.
/// </summary>
public static class NativeHeap
{
    /// <summary>glibc's own default for the threshold, which it then raises: we keep it there.</summary>
    public const int MmapThreshold = 128 * 1024;

    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>Puts the policy in force on glibc, unless the operator chose a threshold (MALLOC_MMAP_THRESHOLD_).</summary>
    public static void ReturnLargeBlocks()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null)
        {
            return;
        }
        try
        {
            Mallopt(M_MMAP_THRESHOLD, MmapThreshold);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, for one, has no dynamic threshold to turn off).
        }
    }

    // DllImport rather than LibraryImport: two ints need no marshalling, and the project allows no unsafe code.
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
