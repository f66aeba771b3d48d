using JisuDai.Lending.Documents;
using JisuDai.Risk.Outcomes;

namespace JisuDai.App.Monitoring;

/// <summary>The loans' final labels, joined to the decisions that made them.</summary>
public static class MaturedLabels
{
    /// <summary>
    /// Each decision's label in <paramref name="window"/> as of <paramref name="asOf"/>, by decision id: only loans whose
    /// window has ended, since among younger ones the bads are known and the goods not yet.
    /// </summary>
    public static async Task<Dictionary<string, Label>> ByDecisionAsync(IDocumentStore<LoanOutcome> outcomes, string window, DateOnly asOf, CancellationToken cancellationToken)
    {
        var labelOf = new Dictionary<string, Label>(StringComparer.Ordinal);
        await foreach (Versioned<LoanOutcome> read in outcomes.ScanAsync(cancellationToken))
        {
            if (read.Document.MaturedLabel(window, asOf) is { } label && read.Document.DecisionId is { } decisionId)
            {
                labelOf[decisionId] = label;
            }
        }

        return labelOf;
    }
}
