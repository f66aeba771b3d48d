namespace JisuDai.Risk.Trees;

/// <summary>Hyper-parameters of the gradient-boosted trees, searched over in training.</summary>
/// <param name="Leaves">Leaves per tree.</param>
/// <param name="MaxDepth">Deepest a tree may grow.</param>
/// <param name="LearningRate">Shrinkage per tree.</param>
/// <param name="MinLeafRows">Fewest training rows in a leaf.</param>
public sealed record TreeParameters(int Leaves, int MaxDepth, double LearningRate, int MinLeafRows)
{
    /// <summary>The small grid training searches: 24 combinations.</summary>
    public static IReadOnlyList<TreeParameters> Grid { get; } =
        (from leaves in new[] { 4, 8, 16 }
         from depth in new[] { 3, 6 }
         from rate in new[] { 0.05, 0.1 }
         from minLeaf in new[] { 10, 30 }
         select new TreeParameters(leaves, depth, rate, minLeaf)).ToList();

    /// <inheritdoc/>
    public override string ToString() => $"leaves={Leaves} depth={MaxDepth} rate={LearningRate} minLeaf={MinLeafRows}";
}
