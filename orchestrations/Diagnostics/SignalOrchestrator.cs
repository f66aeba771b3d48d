using JisuDai.App.Results;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Diagnostics;

/// <summary>How long a <see cref="SignalOrchestrator"/> waits for its signal.</summary>
/// <param name="TimeoutSeconds">Seconds until the durable timer gives up waiting.</param>
public sealed record SignalRequest(int TimeoutSeconds);

/// <summary>What a <see cref="SignalOrchestrator"/> saw.</summary>
/// <param name="Signalled">True when the signal came before the timer.</param>
/// <param name="Payload">The signal's payload, or null when the timer fired.</param>
/// <param name="Echo">The follow-up activity's result, proving work resumes after the wait.</param>
public sealed record SignalOutcome(bool Signalled, string? Payload, string Echo);

/// <summary>
/// Waits for an external event named <see cref="EventName"/> or a durable timer, whichever comes first,
/// then runs one activity. It has the shape of every human-in-the-loop step in lending (a reviewer's
/// decision, a borrower's acceptance, an offer's expiry), and the reliability tests kill the host while it
/// waits to prove such waits survive a crash.
/// </summary>
public sealed class SignalOrchestrator : TaskOrchestrator<SignalRequest, SignalOutcome>
{
    /// <summary>The external event the orchestration waits for.</summary>
    public const string EventName = "Signal";

    /// <inheritdoc />
    public override async Task<SignalOutcome> RunAsync(TaskOrchestrationContext context, SignalRequest input)
    {
        using var cancelTimer = new CancellationTokenSource();
        Task<string> signal = context.WaitForExternalEvent<string>(EventName);
        Task timer = context.CreateTimer(
            context.CurrentUtcDateTime.AddSeconds(input.TimeoutSeconds), cancelTimer.Token);

        bool signalled = await Task.WhenAny(signal, timer) == signal;
        if (signalled)
        {
            cancelTimer.Cancel();
        }

        string? payload = signalled ? signal.Result : null;
        string echo = await context.CallActivityAsync<string>(nameof(EchoActivity), payload ?? "timeout");
        return new SignalOutcome(signalled, payload, echo);
    }
}
