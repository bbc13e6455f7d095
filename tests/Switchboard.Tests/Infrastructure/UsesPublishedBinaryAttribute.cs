namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Marks a test class that runs the Native AOT publish (<see cref="PublishedBinary"/>), so <see cref="PublishedBinaryLast"/>
/// can start the publish as the run begins and run the class after the others.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class UsesPublishedBinaryAttribute : Attribute;
