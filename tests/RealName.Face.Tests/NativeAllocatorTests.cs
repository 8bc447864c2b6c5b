using RealName.Face;

namespace RealName.Face.Tests;

/// <summary>The engine sets glibc's allocator for its image buffers (Face:TuneNativeAllocator), and leaves it alone when told to.</summary>
public sealed class NativeAllocatorTests
{
    [Fact]
    public void The_engine_tunes_glibcs_allocator_for_its_image_buffers_unless_told_not_to()
    {
        using var untouched = new FaceEngine(new FaceOptions { PoolSize = 1, TuneNativeAllocator = false });
        Assert.False(untouched.NativeAllocatorTuned);

        // glibc accepted all three settings (mallopt returned 1 for each) on this Linux machine.
        using var tuned = new FaceEngine(new FaceOptions { PoolSize = 1 });
        Assert.Equal(OperatingSystem.IsLinux(), tuned.NativeAllocatorTuned);
    }
}
