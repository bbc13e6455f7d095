using System.Text;
using System.Text.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>One tool call of a reply as its fragments arrive: id and name from the first, arguments from all.</summary>
internal sealed class ToolCallState
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public StringBuilder Arguments { get; } = new();

    /// <summary>How much of <see cref="Arguments"/> has gone to the client.</summary>
    public int Sent { get; set; }

    /// <summary>Its block has been closed; nothing more can be added to it.</summary>
    public bool Finished { get; set; }

    /// <summary>The arguments so far are one whole JSON value, so the call can be closed when another begins.</summary>
    public bool IsComplete
    {
        get
        {
            if (Arguments.Length == 0) return false;
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(Arguments.ToString()));
            try
            {
                return reader.Read() && reader.TrySkip() && !reader.Read();
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
