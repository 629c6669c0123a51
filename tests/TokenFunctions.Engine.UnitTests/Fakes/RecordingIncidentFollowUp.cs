using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IIncidentFollowUp"/> fake: records every call (<see cref="Calls"/>) and answers what
/// <see cref="Answer"/> says for the n-th call (done by default); with <see cref="Failure"/> set, every call returns that
/// exception as a faulted task instead.
/// </summary>
public sealed class RecordingIncidentFollowUp : IIncidentFollowUp
{
    public List<(DisableMessage Message, IReadOnlyList<TokenId> Disabled)> Calls { get; } = [];

    /// <summary>What each call answers, given its 1-based number; done by default.</summary>
    public Func<int, FollowUpResult> Answer { get; set; } = _ => FollowUpResult.Done;

    /// <summary>When set, every call fails with this (a bug in the follow-up) and is not recorded.</summary>
    public Exception? Failure { get; set; }

    public Task<FollowUpResult> RunAsync(DisableMessage message, IReadOnlyList<TokenId> disabled, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<FollowUpResult>(failure);
        }

        Calls.Add((message, disabled));
        return Task.FromResult(Answer(Calls.Count));
    }
}
