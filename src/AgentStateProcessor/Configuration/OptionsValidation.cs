using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Configuration;

/// <summary>Options that can say what is wrong with themselves, naming each setting.</summary>
internal interface ISelfValidatingOptions
{
    IEnumerable<string> Validate();
}

/// <summary>Runs an options class's own validation at start-up (with ValidateOnStart), failing with every message at once.</summary>
internal sealed class SelfValidatingOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, ISelfValidatingOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
