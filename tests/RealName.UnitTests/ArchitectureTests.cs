using NetArchTest.Rules;
using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>The layout as rules the build checks (docs/architecture.md).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_rule_book_references_nothing_of_the_hosting_stack()
    {
        var result = Types.InAssembly(typeof(RuleBook).Assembly)
            .ShouldNot()
            .HaveDependencyOnAny("Orleans", "Grpc", "Google.Protobuf", "Microsoft.AspNetCore", "Npgsql", "Microsoft.Extensions", "RealName.Grains", "RealName.Storage", "RealName.Gateway")
            .GetResult();

        Assert.True(result.IsSuccessful, "Types of RealName.Rules depending on the hosting stack: " + string.Join(", ", result.FailingTypeNames ?? []));
        Assert.DoesNotContain(typeof(RuleBook).Assembly.GetReferencedAssemblies(), a => a.Name is not null && !a.Name.StartsWith("System", StringComparison.Ordinal) && a.Name != "netstandard");
    }
}
