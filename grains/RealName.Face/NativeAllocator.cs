using System.Runtime.InteropServices;

namespace RealName.Face;

/// <summary>
/// glibc's allocator, set for the engine's buffers: every comparison decodes two photos and fills input blobs of
/// megabytes that live a few milliseconds. By default glibc serves such blocks with their own <c>mmap</c> and hands
/// freed memory back to the kernel, so the next comparison page-faults all of it in again; under a hypervisor each of
/// those faults is dear. Served from the heap and kept there, the memory is reused as it is. Process-wide (the
/// allocator is the process's); without glibc (musl, other systems) nothing changes.
/// </summary>
internal static class NativeAllocator
{
    // mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int TopPad = -2;
    private const int MmapThreshold = -3;

    /// <summary>Blocks below this come from the heap (glibc's largest dynamic threshold on 64-bit: 32 MB).</summary>
    internal const int HeapBlocksBelow = 32 * 1024 * 1024;

    /// <summary>Free memory at a heap's top kept rather than given back.</summary>
    internal const int KeepFree = 1024 * 1024 * 1024;

    /// <summary>Extra memory asked for each time a heap grows, so it grows seldom.</summary>
    internal const int GrowBy = 64 * 1024 * 1024;

    private static readonly Lazy<bool> Tuned = new(Tune);

    /// <summary>Sets the allocator once per process; false when this is not glibc or it refused a setting.</summary>
    public static bool TuneForImageBuffers() => Tuned.Value;

    private static bool Tune()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // Each setting is applied even when an earlier one was refused.
            return MallOpt(MmapThreshold, HeapBlocksBelow) == 1 & MallOpt(TrimThreshold, KeepFree) == 1 & MallOpt(TopPad, GrowBy) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
