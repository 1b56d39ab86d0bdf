using System.Globalization;

namespace AgentStateProcessor.Benchmarks;

/// <summary>A least-squares line y = Slope·x + Intercept, with the standard error of the slope.</summary>
internal readonly record struct LinearFit(double Slope, double Intercept, double SlopeStandardError)
{
    public static LinearFit Of(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var n = xs.Count;
        if (n < 3) return new LinearFit(double.NaN, double.NaN, double.NaN);
        var meanX = xs.Average();
        var meanY = ys.Average();
        var sxx = xs.Sum(x => (x - meanX) * (x - meanX));
        var sxy = xs.Select((x, i) => (x - meanX) * (ys[i] - meanY)).Sum();
        var slope = sxy / sxx;
        var intercept = meanY - slope * meanX;
        var residuals = xs.Select((x, i) => ys[i] - (intercept + slope * x)).Sum(r => r * r);
        return new LinearFit(slope, intercept, Math.Sqrt(residuals / (n - 2) / sxx));
    }

    public double At(double x) => Intercept + Slope * x;
}

/// <summary>
/// The soak's figures and verdicts. Rates and lag are judged after the settling time; memory slopes are
/// fitted over the second half, when the mock brokers' bounded logs and the JIT have had time to fill up.
/// Targets: the processor commits on average at least 95% of the input rate (it keeps up), the committed lag
/// stays below 5 s of input with nothing dropped, and the anonymous resident memory and the heap grow by less than
/// the given MB per hour over the second half. The whole resident set is reported too, but not judged: its mapped
/// files come and go with the memory pressure of other processes on the machine. The memory judged is the soak
/// process's: with the mock brokers in a child process, the processor's and the simulator's alone; the child's
/// slopes are then reported beside it, not judged.
/// </summary>
internal sealed class SoakSummary
{
    private readonly List<string> _lines = [];

    private SoakSummary(double secondHalfFromMinutes, LinearFit anonymousResidentPerMinute, bool allMet)
    {
        SecondHalfFromMinutes = secondHalfFromMinutes;
        AnonymousResidentPerMinute = anonymousResidentPerMinute;
        AllMet = allMet;
    }

    /// <summary>Where the memory fits start, in minutes since the start.</summary>
    public double SecondHalfFromMinutes { get; }
    /// <summary>Anonymous resident memory in MB against minutes, over the second half.</summary>
    public LinearFit AnonymousResidentPerMinute { get; }
    public bool AllMet { get; }

    public IReadOnlyList<string> Lines() => _lines;

    public static SoakSummary Of(IReadOnlyList<Sample> samples, int rate, TimeSpan settling, double flatMbPerHour, bool mockApart)
    {
        if (samples.Count == 0) throw new InvalidOperationException("the soak took no sample");
        var durationMinutes = samples[^1].ElapsedMinutes;
        var settled = samples.Where(s => s.ElapsedSeconds > settling.TotalSeconds).ToList();
        if (settled.Count == 0) settled = [.. samples];
        var halfMinutes = durationMinutes / 2;
        var secondHalf = samples.Where(s => s.ElapsedMinutes >= halfMinutes).ToList();
        var firstHalfSettled = settled.Where(s => s.ElapsedMinutes < halfMinutes).ToList();

        LinearFit FitPerMinute(Func<Sample, double> value) =>
            LinearFit.Of(secondHalf.Select(s => s.ElapsedMinutes).ToList(), secondHalf.Select(value).ToList());
        var resident = FitPerMinute(s => s.ResidentMb);
        var anonymous = FitPerMinute(s => s.AnonymousResidentMb);
        var heap = FitPerMinute(s => s.HeapMb);
        var retained = FitPerMinute(s => s.MockRetainedRecords);
        var lagFit = FitPerMinute(s => s.InputLag + s.RepartitionLag);
        var mockResident = FitPerMinute(s => s.MockResidentMb);
        var mockAnonymous = FitPerMinute(s => s.MockAnonymousResidentMb);

        var inputMean = settled.Average(s => s.InputPerSecond);
        var committedMean = settled.Average(s => s.CommittedPerSecond);
        var keepsUp = committedMean >= 0.95 * inputMean;
        var maxInputLag = settled.Max(s => s.InputLag);
        var maxRepartitionLag = settled.Max(s => s.RepartitionLag);
        var maxLag = settled.Max(s => s.InputLag + s.RepartitionLag);
        var dropped = samples[^1].Dropped;
        var lagBounded = maxLag <= 5.0 * rate && dropped == 0;
        var anonymousPerHour = anonymous.Slope * 60;
        var heapPerHour = heap.Slope * 60;
        var memoryFlat = anonymousPerHour < flatMbPerHour && heapPerHour < flatMbPerHour;

        var summary = new SoakSummary(halfMinutes, anonymous, keepsUp && lagBounded && memoryFlat);
        void Add(FormattableString line) => summary._lines.Add(line.ToString(CultureInfo.InvariantCulture));
        static string Freshness(IEnumerable<double> values)
        {
            var known = values.Where(v => !double.IsNaN(v)).Order().ToList();
            return known.Count == 0 ? "none" : FormattableString.Invariant($"median {BenchmarkSupport.Quantile(known, 0.5):N0} ms, max {known[^1]:N0} ms");
        }

        Add($"duration {durationMinutes:N1} min, {samples.Count} samples; simulator set to {rate:N0} events/s; figures after the first {settling.TotalMinutes:N0} min unless said");
        Add($"input records/s: mean {inputMean:N0}, min {settled.Min(s => s.InputPerSecond):N0}, max {settled.Max(s => s.InputPerSecond):N0}");
        Add($"committed records/s: mean {committedMean:N0}, min {settled.Min(s => s.CommittedPerSecond):N0}, max {settled.Max(s => s.CommittedPerSecond):N0}");
        Add($"lag (committed): max input {maxInputLag:N0}, max repartition {maxRepartitionLag:N0}, max together {maxLag:N0} records ({maxLag / (double)rate:N1} s of input); mean together {firstHalfSettled.DefaultIfEmpty(settled[0]).Average(s => s.InputLag + s.RepartitionLag):N0} in the first half, {secondHalf.Average(s => s.InputLag + s.RepartitionLag):N0} in the second (slope {lagFit.Slope * 60:N0} records/hour)");
        Add($"freshness p99 (the processor's recent window at each sample): agents {Freshness(settled.Select(s => s.AgentFreshnessP99Ms))}; DNs {Freshness(settled.Select(s => s.DnFreshnessP99Ms))}");
        var whose = mockApart ? "processor process (processor and simulator), " : "";
        Add($"{whose}resident memory: {samples[0].ResidentMb:N0} MB at the first sample, {samples[^1].ResidentMb:N0} MB at the end, max {samples.Max(s => s.ResidentMb):N0} MB; slope over the second half (from minute {halfMinutes:N1}) {resident.Slope * 60:N1} ± {2 * resident.SlopeStandardError * 60:N1} MB/hour (least squares, ± 2 standard errors)");
        Add($"{whose}anonymous resident memory: {samples[0].AnonymousResidentMb:N0} MB at the first sample, {samples[^1].AnonymousResidentMb:N0} MB at the end; slope over the second half {anonymousPerHour:N1} ± {2 * anonymous.SlopeStandardError * 60:N1} MB/hour");
        Add($"managed heap: mean {samples.Average(s => s.HeapMb):N1} MB, max {samples.Max(s => s.HeapMb):N1} MB; slope over the second half {heapPerHour:N2} ± {2 * heap.SlopeStandardError * 60:N2} MB/hour");
        if (mockApart)
        {
            Add($"mock cluster process, resident memory (not judged): {samples[0].MockResidentMb:N0} MB at the first sample, {samples[^1].MockResidentMb:N0} MB at the end; slope over the second half {mockResident.Slope * 60:N1} ± {2 * mockResident.SlopeStandardError * 60:N1} MB/hour");
            Add($"mock cluster process, anonymous resident memory (not judged): {samples[0].MockAnonymousResidentMb:N0} MB at the first sample, {samples[^1].MockAnonymousResidentMb:N0} MB at the end; slope over the second half {mockAnonymous.Slope * 60:N1} ± {2 * mockAnonymous.SlopeStandardError * 60:N1} MB/hour");
        }
        Add($"mock brokers' logs: {samples[^1].MockRetainedRecords:N0} records retained at the end (slope over the second half {retained.Slope * 60:N0} records/hour); dropped before committed {dropped:N0}");
        if (mockApart) Add($"CPU: processor process {settled.Average(s => s.CpuPercent):N0}% of a core, mock cluster process {settled.Average(s => s.MockCpuPercent):N0}%; load average (1 min) mean {samples.Average(s => s.Load):N1}, max {samples.Max(s => s.Load):N1}");
        else Add($"CPU: process {settled.Average(s => s.CpuPercent):N0}% of a core (mock brokers {settled.Average(s => s.MockCpuPercent):N0}%); load average (1 min) mean {samples.Average(s => s.Load):N1}, max {samples.Max(s => s.Load):N1}");
        Add($"rate steady: {(keepsUp ? "met" : "NOT met")} (committed mean {committedMean / inputMean:P1} of the input mean; target at least 95%)");
        Add($"lag steady: {(lagBounded ? "met" : "NOT met")} (max {maxLag / (double)rate:N1} s of input, {dropped:N0} dropped; target below 5 s, none dropped)");
        Add($"memory flat: {(memoryFlat ? "met" : "NOT met")} (second half: {whose}anonymous resident {anonymousPerHour:N1} MB/hour, heap {heapPerHour:N2} MB/hour; target below {flatMbPerHour:N0} MB/hour each)");
        return summary;
    }
}
