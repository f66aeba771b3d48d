namespace JisuDai.Risk.Training;

/// <summary>Assigns rows to cross-validation folds.</summary>
public static class Folds
{
    /// <summary>
    /// Stratified folds: bads and goods are each shuffled with <paramref name="seed"/> and dealt round-robin, so every fold
    /// has the same bad rate (to within one row) and the same seed always gives the same folds.
    /// </summary>
    public static int[] Stratified(bool[] bad, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[bad.Length];
        foreach (bool cls in new[] { true, false })
        {
            int[] rows = Enumerable.Range(0, bad.Length).Where(r => bad[r] == cls).ToArray();
            random.Shuffle(rows);
            for (int i = 0; i < rows.Length; i++)
            {
                fold[rows[i]] = i % folds;
            }
        }

        return fold;
    }
}
