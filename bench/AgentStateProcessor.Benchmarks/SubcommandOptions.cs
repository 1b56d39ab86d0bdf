using System.Globalization;

namespace AgentStateProcessor.Benchmarks;

/// <summary>The <c>--name value</c> options and bare <c>--name</c> flags of one subcommand; unknown names are errors, not silently ignored.</summary>
internal sealed class SubcommandOptions
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private SubcommandOptions(Dictionary<string, string> values, HashSet<string> flags)
    {
        _values = values;
        _flags = flags;
    }

    public static SubcommandOptions Parse(string[] args, params string[] allowed) => Parse(args, [], allowed);

    public static SubcommandOptions Parse(string[] args, string[] allowedFlags, params string[] allowed)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (allowedFlags.Contains(args[i]))
            {
                flags.Add(args[i]);
                continue;
            }
            if (!allowed.Contains(args[i])) throw new ArgumentException($"unknown option '{args[i]}'");
            if (i + 1 >= args.Length) throw new ArgumentException($"option '{args[i]}' needs a value");
            values[args[i]] = args[++i];
        }
        return new SubcommandOptions(values, flags);
    }

    public bool Flag(string name) => _flags.Contains(name);

    public int PositiveInt(string name, int defaultValue)
    {
        if (!_values.TryGetValue(name, out var text)) return defaultValue;
        return int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive whole number (was '{text}')");
    }

    public string Text(string name, string defaultValue) => _values.GetValueOrDefault(name, defaultValue);

    public TEnum Enum<TEnum>(string name, TEnum defaultValue) where TEnum : struct, Enum
    {
        if (!_values.TryGetValue(name, out var text)) return defaultValue;
        return System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{name} must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())} (was '{text}')");
    }
}
