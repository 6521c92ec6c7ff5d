using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MirtLab.Core.Results;

namespace MirtLab.Readers.Tests;

/// <summary>A reader's whole output as stable, readable JSON for golden files: rows as read, run info, diagnostics.</summary>
public static class ReadOutputJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new ResultValueConverter() },
    };

    public static string Serialize(ReadOutput output) => JsonSerializer.Serialize(
        new
        {
            format = output.FormatId,
            runInfo = output.RunInfo,
            diagnostics = output.Diagnostics,
            results = output.Results,
        },
        Options);

    private sealed class ResultValueConverter : JsonConverter<ResultValue>
    {
        public override ResultValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("golden output is written, not read");

        public override void Write(Utf8JsonWriter writer, ResultValue value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(value.Kind.ToString()));
            if (value.Number is decimal n)
            {
                writer.WriteNumber("number", n);
            }

            if (value.Limit is decimal l)
            {
                writer.WriteNumber("limit", l);
            }

            if (value.Token is not null)
            {
                writer.WriteString("token", value.Token);
            }

            writer.WriteEndObject();
        }
    }
}
