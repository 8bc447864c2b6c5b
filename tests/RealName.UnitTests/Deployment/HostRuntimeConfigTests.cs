using System.Text.Json;

namespace RealName.UnitTests.Deployment;

/// <summary>
/// The runtime settings the silo and the gateway start with, read from the runtimeconfig.json files the build writes
/// next to each host (the runtime reads the same files at start-up; this project references both hosts, so the build
/// copies them here). They were chosen by measurement (README, "Speed and scale"); a project change that drops one
/// would silently undo it.
/// </summary>
public sealed class HostRuntimeConfigTests
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    [Theory]
    [InlineData("RealName.Silo")]
    [InlineData("RealName.Gateway")]
    public void Idle_thread_pool_workers_block_at_once_instead_of_spinning(string host)
    {
        var properties = ConfigProperties(host);

        Assert.True(properties.TryGetProperty(SpinLimit, out var limit), $"{host}: {SpinLimit} is set");
        Assert.Equal(0, limit.GetInt32());
    }

    [Fact]
    public void The_gateways_photo_buffers_stay_out_of_the_large_object_heap()
    {
        var properties = ConfigProperties("RealName.Gateway");

        Assert.True(properties.TryGetProperty("System.GC.LOHThreshold", out var threshold), "System.GC.LOHThreshold is set");
        Assert.True(threshold.GetInt32() >= 4 * 1024 * 1024, $"LOH threshold {threshold.GetInt32()} holds a registration's photos");
    }

    private static JsonElement ConfigProperties(string host)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{host}.runtimeconfig.json");
        Assert.True(File.Exists(path), $"{path} exists (the build copies each referenced host's runtime settings)");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
