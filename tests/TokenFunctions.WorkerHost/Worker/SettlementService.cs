using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TokenFunctions.WorkerHost.Protocol;
using TokenFunctions.WorkerHost.ServiceBus;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>
/// The Service Bus extension's <c>Settlement</c> service, which the worker's <c>ServiceBusMessageActions</c> calls on the
/// host's address. Each call is recorded and applied to the delivered message's target; a failure to apply (a lost lock)
/// goes back to the worker as an error, as the real host's would.
/// </summary>
internal sealed class SettlementService(Settlements settlements, TimeProvider time) : Protocol.Settlement.SettlementBase
{
    private static readonly Empty Done = new();

    public override Task<Empty> Complete(CompleteRequest request, ServerCallContext context) =>
        ApplyAsync(Record(SettlementKind.Complete, request.Locktoken), context);

    public override Task<Empty> Abandon(AbandonRequest request, ServerCallContext context) =>
        ApplyAsync(Record(SettlementKind.Abandon, request.Locktoken, request.PropertiesToModify.Span), context);

    public override Task<Empty> Deadletter(DeadletterRequest request, ServerCallContext context) =>
        ApplyAsync(Record(SettlementKind.DeadLetter, request.Locktoken, request.PropertiesToModify.Span, request.DeadletterReason, request.DeadletterErrorDescription), context);

    public override Task<Empty> Defer(DeferRequest request, ServerCallContext context) =>
        ApplyAsync(Record(SettlementKind.Defer, request.Locktoken, request.PropertiesToModify.Span), context);

    public override Task<Empty> RenewMessageLock(RenewMessageLockRequest request, ServerCallContext context) =>
        ApplyAsync(Record(SettlementKind.RenewLock, request.Locktoken), context);

    private SettlementRecord Record(SettlementKind kind, string lockToken, ReadOnlySpan<byte> properties = default, string? reason = null, string? description = null) =>
        new(kind, lockToken, AmqpValues.DecodeMap(properties), reason, description, time.GetUtcNow());

    private async Task<Empty> ApplyAsync(SettlementRecord record, ServerCallContext context)
    {
        try
        {
            await settlements.ApplyAsync(record, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition, exception.Message));
        }

        return Done;
    }
}
