using System.Runtime.ExceptionServices;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// The stream thread's wait for a schema registry that could not be asked: when to ask again (a
/// <see cref="CappedExponentialBackoff"/>), and the asking itself, which runs beside the poll loop so
/// that the thread keeps polling (and its group membership) however long a request hangs. The
/// question asked is the one that failed (<see cref="SchemaRegistryUnavailableException.AskAgain"/>);
/// its answer lands in the registry client's cache, so the redone work gets past that point.
/// </summary>
internal sealed class RegistryOutage(CappedExponentialBackoff backoff, StreamThreadListener listener, ILogger logger)
{
    private Func<Task>? _askAgain;
    private DateTime _since;
    private DateTime _askAt;
    private Task? _asking;

    public bool IsOpen { get; private set; }

    /// <summary>Work needed the registry and it could not be asked: wait before asking again.</summary>
    public void Failed(SchemaRegistryUnavailableException failure, DateTime now)
    {
        if (!IsOpen) _since = now;
        IsOpen = true;
        _askAgain = failure.AskAgain;
        Wait(failure.Message, now);
    }

    /// <summary>
    /// Whether the registry answered the question that failed, asking it when the wait is over.
    /// True with nothing to ask once the wait is over: the redone work asks.
    /// </summary>
    /// <exception cref="SchemaRegistryAuthenticationException">The registry now refuses the credentials: no retry mends that.</exception>
    public bool Answered(DateTime now)
    {
        if (!IsOpen) return true;
        if (_asking is null)
        {
            if (now < _askAt) return false;
            if (_askAgain is null) return true;
            _asking = Task.Run(_askAgain);
            return false;
        }
        if (!_asking.IsCompleted) return false;
        var failure = _asking.Exception?.GetBaseException();
        _asking = null;
        if (failure is null) return true;
        switch (failure as SchemaRegistryUnavailableException ?? failure as SchemaRegistryAuthenticationException
                ?? SchemaRegistryFailures.Classify(failure, "repeating the request that had failed"))
        {
            case SchemaRegistryAuthenticationException refused:
                ExceptionDispatchInfo.Throw(refused);
                return false;
            case SchemaRegistryUnavailableException unavailable:
                // A request that was still going on when the work paused failed at last: ask anew.
                _askAgain = unavailable.AskAgain ?? _askAgain;
                Wait(unavailable.Message, now);
                return false;
            default:
                // Answered, if not as hoped (a 404, say): the redone work meets the answer and judges it.
                return true;
        }
    }

    /// <summary>The work resumed: the next outage starts from the first wait again.</summary>
    public void Ended(DateTime now)
    {
        if (!IsOpen) return;
        IsOpen = false;
        _askAgain = null;
        backoff.Reset();
        listener.RegistryAvailable();
        logger.LogInformation("The schema registry answers again after {Outage}; processing resumes from the last commit", now - _since);
    }

    private void Wait(string reason, DateTime now)
    {
        var delay = backoff.Next();
        _askAt = now + delay;
        listener.RegistryUnavailable(reason);
        logger.LogWarning("Processing paused for {Outage} so far, every task closed at its last commit: {Reason}; asking again in {Delay} (attempt {Attempt})",
            now - _since, reason, delay, backoff.Failures + 1);
    }
}
