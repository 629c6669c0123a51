using System.Reflection;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.UnitTests.Structure;

/// <summary>
/// Each engine interface has at most one fake in the unit tests (<c>Fakes/</c>), scripted through its properties, so a
/// change to an interface is made in one place and a reader finds the fake by its name.
/// </summary>
public sealed class OneFakePerInterfaceTests
{
    [Fact]
    public void No_engine_interface_has_two_fakes()
    {
        var engine = typeof(IKillService).Assembly;
        var fakes = typeof(OneFakePerInterfaceTests).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .SelectMany(t => t.GetInterfaces().Where(i => i.Assembly == engine).Select(i => (Interface: i.IsGenericType ? i.GetGenericTypeDefinition() : i, Fake: t)))
            .GroupBy(p => p.Interface)
            .Where(g => g.Select(p => p.Fake).Distinct().Count() > 1)
            .Select(g => $"{g.Key.Name}: {string.Join(", ", g.Select(p => p.Fake.Name).Distinct().Order(StringComparer.Ordinal))}")
            .ToList();

        Assert.Empty(fakes);
    }

    [Fact]
    public void The_check_sees_the_fakes()
    {
        var engine = typeof(IKillService).Assembly;
        var implemented = typeof(OneFakePerInterfaceTests).Assembly.GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.Assembly == engine)
            .ToHashSet();

        Assert.Contains(typeof(IKillService), implemented);
        Assert.Contains(typeof(Engine.Dynatrace.IEnvironmentTokenClient), implemented);
    }
}
