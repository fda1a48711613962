namespace CrossMargin.Ledger.Stress.Simulation;

/// <summary>
/// xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2021), seeded by SplitMix64:
/// a generator written out here rather than <see cref="System.Random"/>, whose seeded sequence .NET does not promise
/// to keep across versions, so that a recorded seed gives the same draws on every build. Not thread-safe: one per
/// sequence.
/// </summary>
public sealed class SeededRandom
{
    private ulong s0,
        s1,
        s2,
        s3;

    /// <summary>The generator for <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed)
    {
        var x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        // the generator's arithmetic is modulo 2⁶⁴ (the build checks overflow everywhere else)
        var result = unchecked(RotateLeft(s1 * 5, 7) * 9);
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform draw in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) (Lemire's nearly divisionless method,
    /// exact).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var range = (ulong)bound;
        var product = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = unchecked(0UL - range) % range;
            while (low < threshold)
                product = Math.BigMul(NextUInt64(), range, out low);
        }
        return (int)product;
    }

    /// <summary>A standard normal draw (Marsaglia's polar method).</summary>
    public double NextNormal()
    {
        while (true)
        {
            var u = 2.0 * NextDouble() - 1.0;
            var v = 2.0 * NextDouble() - 1.0;
            var s = u * u + v * v;
            if (s is > 0.0 and < 1.0)
                return u * Math.Sqrt(-2.0 * Math.Log(s) / s);
        }
    }

    /// <summary>A χ² draw with <paramref name="degrees"/> degrees of freedom (&gt; 0): twice a gamma draw of shape
    /// ν/2 (Marsaglia and Tsang, "A simple method for generating gamma variables", 2000).</summary>
    public double NextChiSquare(double degrees) => 2.0 * NextGamma(degrees / 2.0);

    private double NextGamma(double shape)
    {
        if (shape < 1.0)
            return NextGamma(shape + 1.0) * Math.Pow(NextDouble() + double.Epsilon, 1.0 / shape);
        var d = shape - 1.0 / 3.0;
        var c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x,
                v;
            do
            {
                x = NextNormal();
                v = 1.0 + c * x;
            } while (v <= 0.0);
            v = v * v * v;
            var u = NextDouble();
            if (u < 1.0 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1.0 - v + Math.Log(v)))
                return d * v;
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        unchecked
        {
            var z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
