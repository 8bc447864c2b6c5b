using System.Reflection;

namespace RealName.UnitTests;

public sealed class RuleBookAssemblyTests
{
    [Fact]
    public void The_rule_book_references_nothing_of_the_hosting_stack()
    {
        var referenced = typeof(RealName.Rules.RuleBook).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.DoesNotContain(referenced, name => name.StartsWith("Orleans", StringComparison.Ordinal)
            || name.StartsWith("Grpc", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("Npgsql", StringComparison.Ordinal));
        Assert.Equal("RealName.Rules", typeof(RealName.Rules.RuleBook).Assembly.GetName().Name);
        _ = Assembly.GetExecutingAssembly();
    }
}
