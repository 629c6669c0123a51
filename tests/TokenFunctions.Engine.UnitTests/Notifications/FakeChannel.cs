using TokenFunctions.Engine.Notifications;

namespace TokenFunctions.Engine.UnitTests.Notifications;

/// <summary>A channel that records what it is asked to send and answers with a scripted result.</summary>
internal sealed class FakeChannel(string name, bool configured = true) : INotificationChannel
{
    private readonly List<IncidentView> _sent = [];

    public string Name { get; } = name;

    public bool IsConfigured { get; } = configured;

    public Func<IncidentView, CancellationToken, Task<NotificationResult>> Respond { get; set; } = (_, _) => Task.FromResult(NotificationResult.Sent);

    public TaskCompletionSource<IncidentView> FirstSend { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<IncidentView> Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToList();
            }
        }
    }

    public Task<NotificationResult> SendAsync(IncidentView view, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.Add(view);
        }

        FirstSend.TrySetResult(view);
        return Respond(view, cancellationToken);
    }
}
