package dev.vicinity.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file harnesses' change: the readiness (and serving) of the first endpoint of an EndpointSlice file,
 * whose conditions are the file's first, rewritten in place or renamed into place.
 */
final class SliceFileEdit {
  /** How an edit reaches the file. */
  enum Write {
    RENAMED_INTO_PLACE("renamed"), IN_PLACE("in-place");

    private final String flag;

    Write(String flag) {
      this.flag = flag;
    }

    String flag() {
      return flag;
    }

    static Write parse(String flag) {
      for (Write write : values()) {
        if (write.flag.equals(flag)) {
          return write;
        }
      }
      throw new IllegalArgumentException("--file-write is renamed or in-place; got '" + flag + "'");
    }
  }

  private static final Pattern READINESS = Pattern.compile("ready: (true|false)");

  private SliceFileEdit() {}

  /** Whether the file's first endpoint is ready now. */
  static boolean firstEndpointReady(Path slice) throws IOException {
    Matcher readiness = READINESS.matcher(Files.readString(slice));
    if (!readiness.find()) {
      throw new IllegalStateException(slice + " says no endpoint's readiness");
    }
    return Boolean.parseBoolean(readiness.group(1));
  }

  /** Sets the first endpoint's readiness and serving to {@code ready}, written {@code how}. */
  static void setFirstEndpointReady(Path slice, boolean ready, Write how) throws IOException {
    String edited = Files.readString(slice)
        .replaceFirst("ready: (true|false)", "ready: " + ready)
        .replaceFirst("serving: (true|false)", "serving: " + ready);
    replace(slice, edited, how);
  }

  /** Replaces {@code file}'s text, written {@code how}. */
  static void replace(Path file, String text, Write how) throws IOException {
    if (how == Write.IN_PLACE) {
      Files.writeString(file, text);
    } else {
      // A dot file is not read as part of the world; the rename makes the whole edit appear at once.
      Path staged = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(staged, text);
      Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
