package dev.vicinity.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's live heap, measured from outside with {@code jcmd}: {@code GC.run} (a full collection; run
 * twice, so that objects freed by the first one's reference processing are gone too), then
 * {@code GC.heap_info}'s "used". A server is never quite idle (a periodic look at the clusters, a
 * write still queued), so the smallest of three such samples is taken: what stays live. Also the
 * process's resident set (VmRSS), which includes what the heap figure does not: Netty's direct
 * buffers, metaspace, thread stacks and code.
 */
final class HeapProbe {
  private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final Pattern PEAK_RSS = Pattern.compile("VmHWM:\\s+(\\d+) kB");

  /** Bytes of live heap and of resident memory. */
  record Sample(long heapBytes, long rssBytes) {}

  private HeapProbe() {}

  private static final int SAMPLES = 3;

  static Sample sample(long pid) throws IOException, InterruptedException {
    Sample smallest = null;
    for (int i = 0; i < SAMPLES; i++) {
      Sample sample = once(pid);
      if (smallest == null || sample.heapBytes() < smallest.heapBytes()) {
        smallest = sample;
      }
    }
    return smallest;
  }

  private static Sample once(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher used = USED.matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("no heap usage in jcmd GC.heap_info output:\n" + info);
    }
    long rss = 0;
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (Files.isReadable(status)) {
      Matcher resident = RSS.matcher(Files.readString(status));
      rss = resident.find() ? Long.parseLong(resident.group(1)) * 1024 : 0;
    }
    return new Sample(Long.parseLong(used.group(1)) * 1024, rss);
  }

  /** The process's peak resident set so far (VmHWM), or 0 where /proc is not readable. */
  static long peakRssBytes(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.isReadable(status)) {
      return 0;
    }
    Matcher peak = PEAK_RSS.matcher(Files.readString(status));
    return peak.find() ? Long.parseLong(peak.group(1)) * 1024 : 0;
  }

  /** Runs {@code jcmd <pid> <command...>} and returns its output. */
  static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> line = new ArrayList<>(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid)));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", line) + " failed:\n" + out);
    }
    return out;
  }
}
