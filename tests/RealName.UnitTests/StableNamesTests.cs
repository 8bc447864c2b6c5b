using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;

namespace RealName.UnitTests;

/// <summary>
/// Reminders are stored under "grain type/key" and grain state under the state name and key; Orleans writes a
/// type's alias on the wire. These names are fixed in GoldenStates/stored-names.txt (captured before they were
/// pinned); renaming a class is fine, changing one of these names fails here.
/// </summary>
public sealed class StableNamesTests
{
    private static readonly Assembly[] Assemblies = [typeof(Grains.ChannelFacts).Assembly, typeof(Grains.GrainStorage).Assembly];

    private static readonly string[] Golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "GoldenStates", "stored-names.txt"))
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .ToArray();

    private static IEnumerable<Type> Types => Assemblies.SelectMany(a => a.GetTypes()).Where(t => t.IsPublic);

    private static string? Argument(MemberInfo member, Type attribute) => Argument(member.GetCustomAttributesData(), attribute);

    private static string? Argument(IEnumerable<CustomAttributeData> attributes, Type attribute) =>
        attributes.SingleOrDefault(a => a.AttributeType == attribute)?.ConstructorArguments[0].Value as string;

    public static TheoryData<string> GoldenGrains() => [.. Golden.Where(l => l.StartsWith("grain ", StringComparison.Ordinal))];

    public static TheoryData<string> GoldenAliases() => [.. Golden.Where(l => l.StartsWith("alias ", StringComparison.Ordinal)).Select(l => l["alias ".Length..])];

    [Theory]
    [MemberData(nameof(GoldenGrains))]
    public void Each_grain_type_and_state_name_is_still_declared(string line)
    {
        var (grainType, stateName) = (line.Split(' ')[1], line.Split(' ')[2]);

        var grain = Assert.Single(Types, t => Argument(t, typeof(GrainTypeAttribute)) == grainType);
        var states = grain.GetConstructors().Single().GetParameters()
            .Select(p => Argument(p.GetCustomAttributesData(), typeof(PersistentStateAttribute)))
            .OfType<string>()
            .ToList();
        Assert.Equal(stateName == "-" ? Array.Empty<string>() : [stateName], states);
    }

    [Theory]
    [MemberData(nameof(GoldenAliases))]
    public void Each_alias_is_still_declared_and_is_the_name_Orleans_writes(string alias)
    {
        var converter = new ServiceCollection()
            .AddSerializer(builder => Array.ForEach(Assemblies, a => builder.AddAssembly(a)))
            .BuildServiceProvider()
            .GetRequiredService<TypeConverter>();

        var type = Assert.Single(Types, t => Argument(t, typeof(AliasAttribute)) == alias);
        Assert.Equal(alias, converter.Format(type, allowAllTypes: true));
    }

    [Fact]
    public void Every_grain_class_has_a_grain_type_and_every_stored_or_sent_type_an_alias()
    {
        var grains = Types.Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t)).ToList();
        var serialized = Types.Where(t => t.IsEnum || t.GetCustomAttribute<GenerateSerializerAttribute>() is not null
            || (t.IsInterface && typeof(IGrain).IsAssignableFrom(t))).ToList();

        Assert.NotEmpty(grains);
        Assert.Empty(grains.Where(t => t.GetCustomAttribute<GrainTypeAttribute>() is null).Select(t => t.FullName));
        Assert.Empty(serialized.Where(t => t.GetCustomAttribute<AliasAttribute>() is null).Select(t => t.FullName));
        Assert.Equal(grains.Count, GoldenGrains().Count);
        Assert.Equal(serialized.Count, GoldenAliases().Count);
    }

    [Fact]
    public void A_value_sent_as_an_object_round_trips_under_its_alias()
    {
        var serializer = new ServiceCollection()
            .AddSerializer(builder => Array.ForEach(Assemblies, a => builder.AddAssembly(a)))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();
        var value = new Grains.Reviews.ReviewCursor(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), "cmcc/310000/5d41402abc4b2a76b9719d911017c592");

        var bytes = serializer.SerializeToArray<object>(value);

        Assert.Equal(value, serializer.Deserialize<object>(bytes));
        Assert.Contains("RealName.Grains.Reviews.ReviewCursor", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
