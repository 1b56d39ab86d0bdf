using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace AgentStateProcessor.Configuration;

/// <summary>Settings whose values cannot be read as their type; each line names the setting, the value and a valid example.</summary>
internal sealed class ConfigurationValueException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads every setting of an options section the way the configuration binder will, before it
/// does: the binder's own failure is an exception with a stack trace and no valid example.
/// </summary>
internal static class ConfigurationValueCheck
{
    public static void ThrowIfUnreadable<TOptions>(IConfiguration configuration, string section) where TOptions : class, new()
    {
        var problems = Problems(configuration.GetSection(section), typeof(TOptions), new TOptions()).ToList();
        if (problems.Count > 0) throw new ConfigurationValueException(problems);
    }

    private static IEnumerable<string> Problems(IConfigurationSection section, Type type, object defaults)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var value = section[property.Name];
            if (value is null) continue;
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (target == typeof(string)) continue;
            var converter = TypeDescriptor.GetConverter(target);
            if (Readable(converter, value)) continue;
            var setting = $"{section.Path}:{property.Name}";
            var shown = IsSecret(property.Name) ? "(hidden)" : $"'{value}'";
            yield return $"{setting} (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}) = {shown} is not a valid {Describe(target)}; " +
                $"example of a valid value: {Example(target, converter, property.GetValue(defaults))}";
        }
    }

    private static bool Readable(TypeConverter converter, string value)
    {
        try
        {
            converter.ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static bool IsSecret(string name) =>
        name.Contains("Password", StringComparison.OrdinalIgnoreCase) || name.Contains("Token", StringComparison.OrdinalIgnoreCase)
        || name.Contains("Secret", StringComparison.OrdinalIgnoreCase);

    private static string Describe(Type type) =>
        type == typeof(TimeSpan) ? "duration" : type == typeof(bool) ? "boolean" : type.IsEnum ? "choice" : type == typeof(Uri) ? "URL" : "number";

    private static string Example(Type type, TypeConverter converter, object? defaultValue)
    {
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type))}";
        if (type == typeof(bool)) return "true or false";
        if (defaultValue is not null) return converter.ConvertToInvariantString(defaultValue) + (type == typeof(TimeSpan) ? " ([d.]hh:mm:ss[.fff])" : "");
        return type == typeof(TimeSpan) ? "00:00:10 ([d.]hh:mm:ss[.fff])"
            : type == typeof(Uri) ? "http://schema-registry:8081"
            : Convert.ToString(Activator.CreateInstance(type), CultureInfo.InvariantCulture) ?? "0";
    }
}
