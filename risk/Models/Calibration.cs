namespace JisuDai.Risk.Models;

/// <summary>
/// A recalibration of a model's probabilities on recent outcomes (Platt scaling): pd′ = σ(Intercept + Slope · logit(pd)).
/// It changes what the probabilities say, not how they rank (the slope stays positive), so the bands, tiers and prices
/// read from them stay honest as the book's default rate moves, without retraining.
/// </summary>
/// <param name="Intercept">Added to the log-odds.</param>
/// <param name="Slope">Multiplies the log-odds (1 for an intercept-only recalibration).</param>
/// <param name="Rows">The matured loans it was fitted on.</param>
/// <param name="Window">The outcome window they were labelled in.</param>
public sealed record Calibration(double Intercept, double Slope, int Rows, string Window)
{
    const double Clamp = 1e-9;

    /// <summary>The recalibrated probability of <paramref name="probabilityOfDefault"/>.</summary>
    public double Apply(double probabilityOfDefault)
    {
        double p = Math.Clamp(probabilityOfDefault, Clamp, 1 - Clamp);
        return 1 / (1 + Math.Exp(-(Intercept + Slope * Math.Log(p / (1 - p)))));
    }

    /// <summary>
    /// Fits the calibration of <paramref name="probabilityOfDefault"/> to <paramref name="bad"/> by maximum likelihood
    /// (Newton's method, each step halved until the likelihood rises, on the two-parameter logistic regression of the
    /// outcome on the log-odds), or the intercept alone when <paramref name="interceptOnly"/>. Starts from no change; a
    /// slope that would come out at or below zero (the model ranking backwards on these loans) is refused.
    /// </summary>
    public static Calibration Fit(IReadOnlyList<double> probabilityOfDefault, IReadOnlyList<bool> bad, string window, bool interceptOnly = false)
    {
        if (!bad.Contains(true) || !bad.Contains(false))
        {
            throw new ArgumentException("Recalibration needs both bads and goods.", nameof(bad));
        }

        var x = probabilityOfDefault.Select(p => Math.Clamp(p, Clamp, 1 - Clamp)).Select(p => Math.Log(p / (1 - p))).ToArray();
        double LogLikelihood(double a, double b)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double z = a + b * x[i];
                // log σ(z) for a bad, log(1 − σ(z)) for a good, without overflow.
                double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                sum += (bad[i] ? z : 0) - softplus;
            }

            return sum;
        }

        double a = 0, b = 1, likelihood = LogLikelihood(a, b);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double q = 1 / (1 + Math.Exp(-(a + b * x[i])));
                double r = (bad[i] ? 1 : 0) - q, w = q * (1 - q);
                ga += r;
                gb += r * x[i];
                haa += w;
                hab += w * x[i];
                hbb += w * x[i] * x[i];
            }

            double da, db;
            if (interceptOnly)
            {
                (da, db) = (ga / haa, 0);
            }
            else
            {
                double det = haa * hbb - hab * hab;
                if (det <= 0)
                {
                    break;
                }

                (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
            }

            double step = 1, next = LogLikelihood(a + da, b + db);
            for (int halving = 0; halving < 30 && !(next >= likelihood); halving++)
            {
                step /= 2;
                next = LogLikelihood(a + step * da, b + step * db);
            }

            a += step * da;
            b += step * db;
            likelihood = next;
            if (Math.Abs(step * da) < 1e-10 && Math.Abs(step * db) < 1e-10)
            {
                break;
            }
        }

        if (b <= 0 || !double.IsFinite(a) || !double.IsFinite(b))
        {
            throw new ArgumentException("On these loans the model ranks no better than chance or backwards: recalibration cannot fix that; retrain.", nameof(probabilityOfDefault));
        }

        return new Calibration(a, b, x.Length, window);
    }
}
