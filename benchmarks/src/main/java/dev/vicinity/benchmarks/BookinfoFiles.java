package dev.vicinity.benchmarks;

import dev.vicinity.inventory.files.ConfigDirectories;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy of the bookinfo example served from files, changed as people and tools change such a directory:
 * every edit is written to a hidden file beside its target and renamed into place (atomic). The copy is
 * left in its temporary directory, like the run's logs.
 */
final class BookinfoFiles implements LoadWorld {
  private static final Path MGMT_CLUSTER = Path.of("clusters", "mgmt-cluster");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Path config;

  private BookinfoFiles(Path config) {
    this.config = config;
  }

  /** Copies {@code example} to a temporary configuration directory. */
  static BookinfoFiles copy(Path example) throws IOException {
    return new BookinfoFiles(ConfigDirectories.copy(example, Files.createTempDirectory("vicinity-bookinfo-files")));
  }

  @Override
  public Path config() {
    return config;
  }

  /** reviews-v1 (127.0.0.11) is the first endpoint of {@code reviews.yaml}. */
  @Override
  public void setReviewsV1Ready(boolean ready) throws IOException {
    SliceFileEdit.setFirstEndpointReady(config.resolve(MGMT_CLUSTER).resolve("reviews.yaml"), ready,
        SliceFileEdit.Write.RENAMED_INTO_PLACE);
  }

  /** Writes {@code extra} as one {@code List} document, {@code clusters/mgmt-cluster/<name>.yaml}. */
  @Override
  public void add(ExtraService extra) throws IOException {
    String yaml = SERIALIZATION.asYaml(new KubernetesListBuilder().addToItems(extra.service())
        .addToItems(extra.slices().toArray(HasMetadata[]::new)).build());
    SliceFileEdit.replace(file(extra), yaml, SliceFileEdit.Write.RENAMED_INTO_PLACE);
  }

  @Override
  public void remove(ExtraService extra) throws IOException {
    Files.delete(file(extra));
  }

  @Override
  public void close() {}

  private Path file(ExtraService extra) {
    return config.resolve(MGMT_CLUSTER).resolve(extra.name() + ".yaml");
  }
}
