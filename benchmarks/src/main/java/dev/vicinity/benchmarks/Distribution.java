package dev.vicinity.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A sample of timings in milliseconds, summarised by nearest-rank percentiles. */
public record Distribution(int count, double p50, double p90, double p99, double max) {
  public static Distribution of(List<Double> millis) {
    if (millis.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return new Distribution(sorted.size(), percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
        sorted.get(sorted.size() - 1));
  }

  private static double percentile(List<Double> sorted, int p) {
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
  }
}
