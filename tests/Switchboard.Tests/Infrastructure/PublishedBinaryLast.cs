using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(Switchboard.Tests.Infrastructure.PublishedBinaryLast))]

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The Native AOT publish takes minutes, and a test awaiting it holds one of the runner's few parallel slots (one per
/// core) all that time. So when the run includes a <see cref="UsesPublishedBinaryAttribute"/> class, the publish is
/// started as the run begins, those classes run after every other (in xunit's own order otherwise), and by then the
/// binary is ready. A run without them publishes nothing. Order changes only how long a run takes: no test depends on it.
/// </summary>
public sealed class PublishedBinaryLast : ITestCollectionOrderer
{
    private const string DefaultCollectionPrefix = "Test collection for ";

    private static readonly HashSet<string> NeedingTheBinary = typeof(PublishedBinaryLast).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && type.IsDefined(typeof(UsesPublishedBinaryAttribute), inherit: true))
        .Select(type => type.FullName!)
        .ToHashSet();

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection
    {
        var ordered = DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections);
        var last = ordered.Where(collection => NeedsTheBinary(collection)).ToList();
        if (last.Count > 0) PublishedBinary.Start();
        return [.. ordered.Where(collection => !NeedsTheBinary(collection)), .. last];
    }

    /// <summary>Each class is its own collection (xunit's default), named after the class.</summary>
    private static bool NeedsTheBinary(ITestCollection collection) =>
        collection.TestCollectionDisplayName.StartsWith(DefaultCollectionPrefix, StringComparison.Ordinal) &&
        NeedingTheBinary.Contains(collection.TestCollectionDisplayName[DefaultCollectionPrefix.Length..].Split(' ')[0]);
}
