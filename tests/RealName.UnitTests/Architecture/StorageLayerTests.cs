using System.Reflection;
using NetArchTest.Rules;
using RealName.Gateway.Hosting;
using RealName.Grains.Subscribers;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.UnitTests.Architecture;

/// <summary>Storage is split into a write side (grains, silo) and a read side (gateway), and only the grains append to the audit log.</summary>
public sealed class StorageLayerTests
{
    private static readonly Assembly Gateway = typeof(GatewayApp).Assembly;
    private static readonly Assembly WriteSide = typeof(AuditLog).Assembly;
    private static readonly Assembly ReadSide = typeof(AuditReports).Assembly;
    private static readonly Assembly GrainClasses = typeof(SubscriberGrain).Assembly;
    private static readonly Assembly Silo = typeof(RealName.Silo.SiloSetup).Assembly;
    private static readonly Assembly GrainContracts = typeof(ISubscriberGrain).Assembly;

    [Fact]
    public void The_gateway_never_references_the_storage_write_side()
    {
        Assert.DoesNotContain(Gateway.GetReferencedAssemblies(), a => a.Name == WriteSide.GetName().Name);
        Assert.Contains(Gateway.GetReferencedAssemblies(), a => a.Name == ReadSide.GetName().Name);

        var writeTypes = WriteSide.GetExportedTypes().Select(t => t.FullName!).ToArray();
        var result = Types.InAssembly(Gateway).ShouldNot().HaveDependencyOnAny(writeTypes).GetResult();
        Assert.True(result.IsSuccessful, "gateway types using the write side: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_read_side_depends_on_nothing_of_the_write_side_the_grid_or_the_gateway()
    {
        var referenced = ReadSide.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(WriteSide.GetName().Name, referenced);
        Assert.DoesNotContain(referenced, name => name!.StartsWith("Orleans", StringComparison.Ordinal) || name.StartsWith("RealName.Grains", StringComparison.Ordinal) || name.StartsWith("Grpc", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_grains_project_appends_audit_events()
    {
        var appenders = Types.InAssemblies([Gateway, Silo, ReadSide, GrainContracts, GrainClasses])
            .That().HaveDependencyOn(typeof(AuditLog).FullName)
            .GetTypes()
            .ToList();

        Assert.NotEmpty(appenders);
        Assert.All(appenders, t => Assert.Equal(GrainClasses, t.Assembly));
    }
}
