package dev.vicinity.inventory.files;

import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.YamlLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The text of one configuration file, or why there is none: it cannot be read, it is larger than
 * {@link YamlLimits#fileBytes()}, or it is not UTF-8 (decoded strictly: a bad byte is an error at its
 * offset and line, never replaced or dropped).
 */
public record ConfigFileText(Optional<String> text, Optional<ConfigError> ioFailure, Optional<ConfigError> invalid) {

  public static ConfigFileText read(Path file, String source, YamlLimits limits) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(limits.fileBytes() + 1);
    } catch (IOException e) {
      return new ConfigFileText(Optional.empty(), Optional.of(new ConfigError(source, 0, "",
          "cannot be read: " + ConfigTree.reason(e) + "; what was last read from it keeps serving")), Optional.empty());
    }
    if (bytes.length > limits.fileBytes()) {
      return invalid(new ConfigError(source, 0, "", "larger than the limit of " + (limits.fileBytes() >> 20)
          + " MiB per file; split it into several files"));
    }
    return decode(bytes, source);
  }

  private static ConfigFileText invalid(ConfigError error) {
    return new ConfigFileText(Optional.empty(), Optional.empty(), Optional.of(error));
  }

  private static ConfigFileText decode(byte[] bytes, String source) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never has fewer bytes than UTF-16 chars
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      return invalid(new ConfigError(source, line, "", "not valid UTF-8 text (byte " + offset + " of the file);"
          + " configuration files must be UTF-8; what was last read from it keeps serving"));
    }
    return new ConfigFileText(Optional.of(out.flip().toString()), Optional.empty(), Optional.empty());
  }

  /** Why there is no text, if there is none. */
  public Optional<ConfigError> error() {
    return ioFailure.or(() -> invalid);
  }
}
