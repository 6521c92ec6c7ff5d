namespace MirtLab.Readers.Text;

/// <summary>
/// Splits a delimited line into trimmed fields. Double quotes group a field (SCIEX OS quotes fields with
/// commas inside tab-delimited text; MassHunter quotes decimal commas); a doubled quote is a literal quote.
/// </summary>
public static class Fields
{
    public static void Split(string line, char delimiter, List<string> into)
    {
        into.Clear();
        var span = line.AsSpan();
        var i = 0;
        while (true)
        {
            // Skip leading spaces before a possible opening quote.
            var start = i;
            while (i < span.Length && span[i] == ' ' && delimiter != ' ')
            {
                i++;
            }

            if (i < span.Length && span[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < span.Length)
                {
                    if (span[i] == '"')
                    {
                        if (i + 1 < span.Length && span[i + 1] == '"')
                        {
                            builder.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    builder.Append(span[i]);
                    i++;
                }

                // Anything between the closing quote and the delimiter belongs to the field too.
                var rest = span[i..];
                var next = rest.IndexOf(delimiter);
                builder.Append(next < 0 ? rest : rest[..next]);
                into.Add(builder.ToString().Trim());
                if (next < 0)
                {
                    return;
                }

                i += next + 1;
                continue;
            }

            i = start;
            var remaining = span[i..];
            var delimiterAt = remaining.IndexOf(delimiter);
            if (delimiterAt < 0)
            {
                into.Add(remaining.Trim().ToString());
                return;
            }

            into.Add(remaining[..delimiterAt].Trim().ToString());
            i += delimiterAt + 1;
        }
    }
}
