package dev.vicinity.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/** What the harnesses' reports share: the markdown for people with the raw JSON beside it, sizes as people read them. */
final class ReportFiles {
  private ReportFiles() {}

  /**
   * Writes {@code results} as JSON next to {@code markdown} (same name, {@code .json}), then the markdown
   * {@code render} makes of them given that JSON file's name, and prints the markdown.
   */
  static void write(Path markdown, Object results, Function<String, String> render) throws IOException {
    Path json = markdown.resolveSibling(markdown.getFileName().toString().replaceFirst("\\.md$", "") + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
    String md = render.apply(json.getFileName().toString());
    Files.writeString(markdown, md);
    System.out.print(md);
  }

  /** A size in B, KiB, MiB or GiB; negative for a difference that shrank. */
  static String bytes(double bytes) {
    if (Math.abs(bytes) >= 1 << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", bytes / (1 << 30));
    }
    if (Math.abs(bytes) >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1 << 20));
    }
    if (Math.abs(bytes) >= 1 << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / (1 << 10));
    }
    return String.format(Locale.ROOT, "%.0f B", bytes);
  }

  /** /proc/loadavg's 1, 5 and 15 minute averages: whether the machine was shared while measuring. */
  static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    if (!Files.isReadable(loadavg)) {
      return "unknown";
    }
    String[] fields = Files.readString(loadavg).trim().split("\\s+");
    return String.join(" ", fields[0], fields[1], fields[2]);
  }
}
