namespace Switchboard.Routing;

/// <summary>Where a request goes: a configured provider and the model name that provider knows.</summary>
public sealed record ModelTarget(string Provider, string Model)
{
    public override string ToString() => $"{Provider}:{Model}";
}
