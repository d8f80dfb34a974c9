package dev.vicinity.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.YamlLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTextTest {
  @TempDir Path temp;

  private Path write(byte[] bytes) throws IOException {
    return Files.write(temp.resolve("file.yaml"), bytes);
  }

  @Test
  void utf8TextIsReadWithItsByteOrderMarkLeftForTheYamlReader() throws IOException {
    byte[] text = "\uFEFFname: caf\u00e9\n".getBytes(StandardCharsets.UTF_8);

    ConfigFileText read = ConfigFileText.read(write(text), "file.yaml", YamlLimits.DEFAULT);

    assertThat(read.text()).contains("\uFEFFname: caf\u00e9\n");
    assertThat(read.ioFailure()).isEmpty();
    assertThat(read.invalid()).isEmpty();
  }

  @Test
  void aMultiByteSequenceCutOffAtTheEndOfTheFileIsNotUtf8() throws IOException {
    byte[] cut = "a: 1\nb: caf\u00e9".getBytes(StandardCharsets.UTF_8);

    ConfigFileText read = ConfigFileText.read(write(java.util.Arrays.copyOf(cut, cut.length - 1)), "file.yaml", YamlLimits.DEFAULT);

    assertThat(read.text()).isEmpty();
    assertThat(read.invalid()).map(ConfigError::toString).contains("file.yaml:2: not valid UTF-8 text (byte 11 of the file);"
        + " configuration files must be UTF-8; what was last read from it keeps serving");
  }

  @Test
  void anEncodedSurrogateIsNotUtf8() throws IOException {
    byte[] surrogate = {'a', ':', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'};

    ConfigFileText read = ConfigFileText.read(write(surrogate), "file.yaml", YamlLimits.DEFAULT);

    assertThat(read.invalid()).map(ConfigError::line).contains(1);
  }

  @Test
  void aFileLargerThanTheLimitIsNotReadAndSaysTheLimit() throws IOException {
    YamlLimits oneMebibyte = new YamlLimits(1 << 20, 1 << 20, 1 << 20, 10);

    ConfigFileText read = ConfigFileText.read(write(new byte[(1 << 20) + 1]), "big.yaml", oneMebibyte);

    assertThat(read.text()).isEmpty();
    assertThat(read.invalid()).map(ConfigError::toString)
        .contains("big.yaml: larger than the limit of 1 MiB per file; split it into several files");
  }

  @Test
  void aFileExactlyAtTheLimitIsRead() throws IOException {
    YamlLimits oneMebibyte = new YamlLimits(1 << 20, 1 << 20, 1 << 20, 10);

    ConfigFileText read = ConfigFileText.read(write("#".repeat(1 << 20).getBytes(StandardCharsets.UTF_8)), "big.yaml", oneMebibyte);

    assertThat(read.text()).hasValueSatisfying(text -> assertThat(text).hasSize(1 << 20));
  }

  @Test
  void aDirectoryIsAnIoFailureInTheUsersWords() throws IOException {
    Path directory = Files.createDirectory(temp.resolve("named-like-a-file.yaml"));

    ConfigFileText read = ConfigFileText.read(directory, "named-like-a-file.yaml", YamlLimits.DEFAULT);

    assertThat(read.ioFailure()).map(ConfigError::message).hasValueSatisfying(message -> assertThat(message)
        .startsWith("cannot be read: ").doesNotContain("Exception").endsWith("; what was last read from it keeps serving"));
  }
}
