using System.Text.Json;
using System.Text.Json.Serialization;

namespace MirtLab.Core;

/// <summary>Writes an enum in MirtLab's JSON as a camelCase string (<c>oneOverXSquared</c>, <c>fail</c>).</summary>
public sealed class JsonCamelCaseEnumConverter<T> : JsonStringEnumConverter<T>
    where T : struct, Enum
{
    public JsonCamelCaseEnumConverter()
        : base(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    {
    }
}
