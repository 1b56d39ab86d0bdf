using ScottPlot;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// The soak's samples as one PNG of four panels over time: records/s (with the load average), committed lag,
/// freshness p99, and resident memory (whole and anonymous) with the managed heap, the second half's fitted line
/// drawn over the anonymous resident memory; with the mock brokers in a child process, its resident memory (whole and
/// anonymous) too, the processor's lines being then this process's alone. ScottPlot draws with SkiaSharp, whose Linux native library without dependencies comes with it.
/// </summary>
internal static class SoakPlot
{
    public static void Save(string path, IReadOnlyList<Sample> samples, SoakSummary summary, string title)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        var panels = multiplot.GetPlots();
        multiplot.SharedAxes.ShareX(panels);
        var minutes = samples.Select(s => s.ElapsedMinutes).ToArray();

        var rates = panels[0];
        rates.Title(title, size: 14);
        Line(rates, minutes, samples.Select(s => s.InputPerSecond), "input records/s");
        Line(rates, minutes, samples.Select(s => s.CommittedPerSecond), "committed records/s");
        rates.YLabel("records/s");
        FromZero(rates, samples.Max(s => Math.Max(s.InputPerSecond, s.CommittedPerSecond)));
        var load = Line(rates, minutes, samples.Select(s => s.Load), "load average (1 min, right)");
        load.Axes.YAxis = rates.Axes.Right;
        load.LinePattern = LinePattern.Dotted;
        rates.Axes.Right.Label.Text = "load average";
        rates.Axes.SetLimitsY(0, Math.Max(1, samples.Max(s => s.Load)) * 1.1, rates.Axes.Right);

        var lag = panels[1];
        Line(lag, minutes, samples.Select(s => (double)s.InputLag), "input lag");
        Line(lag, minutes, samples.Select(s => (double)s.RepartitionLag), "repartition lag");
        lag.YLabel("records behind (committed)");
        FromZero(lag, samples.Max(s => Math.Max(s.InputLag, s.RepartitionLag)));

        var freshness = panels[2];
        Line(freshness, minutes, samples.Select(s => s.AgentFreshnessP99Ms), "agent snapshots p99");
        Line(freshness, minutes, samples.Select(s => s.DnFreshnessP99Ms), "DN snapshots p99");
        freshness.YLabel("freshness (ms)");
        FromZero(freshness, samples.SelectMany(s => new[] { s.AgentFreshnessP99Ms, s.DnFreshnessP99Ms }).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max());

        var memory = panels[3];
        var mockApart = samples.Any(s => !double.IsNaN(s.MockResidentMb));
        var whose = mockApart ? "processor " : "";
        Line(memory, minutes, samples.Select(s => s.ResidentMb), $"{whose}resident (RSS)");
        Line(memory, minutes, samples.Select(s => s.AnonymousResidentMb), $"{whose}resident, anonymous");
        if (mockApart)
        {
            Line(memory, minutes, samples.Select(s => s.MockResidentMb), "mock cluster process resident (RSS)").LinePattern = LinePattern.DenselyDashed;
            Line(memory, minutes, samples.Select(s => s.MockAnonymousResidentMb), "mock cluster process resident, anonymous").LinePattern = LinePattern.DenselyDashed;
        }
        var fit = summary.AnonymousResidentPerMinute;
        if (!double.IsNaN(fit.Slope))
        {
            var fitted = memory.Add.Line(summary.SecondHalfFromMinutes, fit.At(summary.SecondHalfFromMinutes), minutes[^1], fit.At(minutes[^1]));
            fitted.LegendText = $"anonymous fit, second half: {fit.Slope * 60:N1} MB/hour";
            fitted.LineWidth = 2;
            fitted.LineColor = Colors.Black;
            fitted.LinePattern = LinePattern.Dashed;
        }
        var heap = Line(memory, minutes, samples.Select(s => s.HeapMb), "managed heap (right)");
        heap.Axes.YAxis = memory.Axes.Right;
        memory.YLabel("resident MB");
        memory.Axes.Right.Label.Text = "heap MB";
        FromZero(memory, samples.SelectMany(s => new[] { s.ResidentMb, s.MockResidentMb }).Where(v => !double.IsNaN(v)).Max());
        memory.Axes.SetLimitsY(0, Math.Max(1, samples.Max(s => s.HeapMb)) * 1.15, memory.Axes.Right);
        memory.XLabel("minutes since start");

        foreach (var panel in panels)
        {
            panel.Axes.SetLimitsX(0, Math.Max(1, minutes[^1]));
            panel.ShowLegend(Alignment.LowerRight);
        }
        multiplot.SavePng(path, 1400, 1500);
    }

    /// <summary>A line of the known points (NaN, a figure not yet measured, leaves a gap in the data, not a zero).</summary>
    private static ScottPlot.Plottables.Scatter Line(Plot plot, double[] xs, IEnumerable<double> ys, string label)
    {
        var known = xs.Zip(ys).Where(p => !double.IsNaN(p.Second)).ToArray();
        var line = plot.Add.ScatterLine(known.Select(p => p.First).ToArray(), known.Select(p => p.Second).ToArray());
        line.LegendText = label;
        line.LineWidth = 1.5f;
        return line;
    }

    /// <summary>Counts and rates read best against zero: a flat line then looks flat.</summary>
    private static void FromZero(Plot plot, double max) => plot.Axes.SetLimitsY(0, Math.Max(1, max) * 1.15);
}
