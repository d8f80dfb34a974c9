package dev.vicinity.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.yaml.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
  @TempDir Path temp;

  private Path copyExample() throws IOException {
    return ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
  }

  private static FileSource source(Path root) throws IOException {
    Path file = root.resolve("vicinity.yaml");
    VicinityConfig config = ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
    return new FileSource(root, config);
  }

  @Test
  void theBundledExampleLoadsWithoutErrors() throws IOException {
    try (FileSource source = source(copyExample())) {
      Inputs inputs = source.load();

      assertThat(inputs.errors()).isEmpty();
      assertThat(inputs.world().allSynced()).isTrue();
      assertThat(inputs.world().endpoints().map(e -> e.cluster() + " " + e.address() + " " + e.locality() + " " + e.portName() + ":" + e.port()))
          .containsExactlyInAnyOrder(
              "mgmt-cluster 127.0.0.11 us-east-1/us-east-1a http:9080",
              "mgmt-cluster 127.0.0.12 us-east-1/us-east-1a http:9080",
              "remote-cluster 127.0.0.13 us-east-2/us-east-2b http:9080");
      assertThat(inputs.policies().virtualDestinations()).extracting(v -> v.ref().toString()).containsExactly("gloo-mesh/bookinfo-global");
      assertThat(inputs.policies().trafficPolicies()).extracting(t -> t.ref().toString()).containsExactly("bookinfo/reviews-shift-failover");
    }
  }

  @Test
  void anEditedEndpointSliceIsDeliveredByTheWatch() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      source.load();
      AtomicReference<Inputs> delivered = new AtomicReference<>();
      source.watch(Duration.ofMillis(50), delivered::set);

      Path slices = root.resolve("clusters/mgmt-cluster/reviews.yaml");
      Files.writeString(slices, Files.readString(slices).replaceFirst("ready: true", "ready: false"));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(delivered.get()).isNotNull());
      Endpoint v1 = delivered.get().world().endpoints().filter(e -> e.address().equals("127.0.0.11")).findFirst().orElseThrow();
      assertThat(v1.conditions().ready()).isFalse();
    }
  }

  @Test
  void aClusterWithoutItsDirectoryStaysPendingWithAnError() throws IOException {
    Path root = copyExample();
    try (Stream<Path> files = Files.walk(root.resolve("clusters/remote-cluster"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.world().cluster(ClusterId.of("remote-cluster")).orElseThrow().syncState()).isEqualTo(SyncState.PENDING);
      assertThat(inputs.world().allSynced()).isFalse();
      assertThat(inputs.errors()).extracting(ConfigError::message).singleElement().asString()
          .startsWith("cluster 'remote-cluster' has no directory");
    }
  }

  @Test
  void aPolicyBrokenByAnEditKeepsItsLastGoodVersionServing() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      assertThat(source.load().policies().virtualDestinations()).hasSize(1);
      Path file = root.resolve("policies/bookinfo-global.yaml");
      Files.writeString(file, Files.readString(file).replace("hostname:", "hostnme:"));

      Inputs inputs = source.load();

      assertThat(inputs.errors()).extracting(ConfigError::toString).singleElement().asString()
          .startsWith("policies/bookinfo-global.yaml:7: spec.hostnme: unknown field 'hostnme'");
      assertThat(inputs.policies().virtualDestinations()).extracting(v -> v.spec().hostname()).containsExactly("reviews.global");
    }
  }

  @Test
  void aPolicyDefinedTwiceIsReportedAndTheFirstKept() throws IOException {
    Path root = copyExample();
    Files.copy(root.resolve("policies/bookinfo-global.yaml"), root.resolve("policies/copy.yaml"));
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.policies().virtualDestinations()).hasSize(1);
      assertThat(inputs.errors()).extracting(ConfigError::toString).containsExactly(
          "policies/copy.yaml:4: metadata.name: VirtualDestination gloo-mesh/bookinfo-global is defined more than once;"
              + " the one in policies/bookinfo-global.yaml is used");
    }
  }

  @Test
  void nodeLabelsDecideTheLocalityOfFileEndpoints() throws IOException {
    Path root = copyExample();
    Path nodes = root.resolve("clusters/remote-cluster/nodes.yaml");
    Files.writeString(nodes, Files.readString(nodes).replace("us-east-2b", "us-east-2c"));
    try (FileSource source = source(root)) {
      assertThat(source.load().world().endpoints().filter(e -> e.address().equals("127.0.0.13")).findFirst().orElseThrow().locality())
          .isEqualTo(Locality.of("us-east-2", "us-east-2c"));
    }
  }

  // Item 4: files that cannot be read or decoded.

  private static final String MGMT_REVIEWS = "clusters/mgmt-cluster/reviews.yaml";

  private static java.util.List<String> endpointAddresses(Inputs inputs) {
    return inputs.world().endpoints().map(Endpoint::address).sorted().toList();
  }

  private static java.util.List<String> services(Inputs inputs) {
    return inputs.world().services().map(s -> s.cluster() + "/" + s.namespace() + "/" + s.name()).sorted().toList();
  }

  @Test
  void randomBytesInAClusterFileKeepItsLastServicesAndEndpointsAndNameTheFile() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      Inputs before = source.load();
      byte[] noise = new byte[4096];
      new java.util.Random(11).nextBytes(noise);
      noise[0] = (byte) 0xC3; // a lead byte without its continuation: never UTF-8, whatever the seed gives
      noise[1] = (byte) 0x28;
      Files.write(root.resolve(MGMT_REVIEWS), noise);

      Inputs after = source.load();

      assertThat(services(after)).isEqualTo(services(before)).contains("mgmt-cluster/bookinfo/reviews");
      assertThat(endpointAddresses(after)).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
      assertThat(after.errors()).extracting(ConfigError::toString).containsExactly(MGMT_REVIEWS
          + ":1: not valid UTF-8 text (byte 0 of the file); configuration files must be UTF-8;"
          + " what was last read from it keeps serving");
    }
  }

  @Test
  void invalidUtf8IsReportedAtItsLineAndByteOffset() throws IOException {
    Path root = copyExample();
    Path file = root.resolve("policies/bookinfo-global.yaml");
    byte[] good = Files.readAllBytes(file);
    byte[] bad = java.util.Arrays.copyOf(good, good.length + 12);
    byte[] tail = "# caf\u00e9 \u00ff\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); // Latin-1, not UTF-8
    System.arraycopy(tail, 0, bad, good.length, tail.length);
    Files.write(file, java.util.Arrays.copyOf(bad, good.length + tail.length));
    long lines = new String(good, java.nio.charset.StandardCharsets.UTF_8).lines().count();

    try (FileSource source = source(root)) {
      assertThat(source.load().errors()).extracting(ConfigError::toString).containsExactly("policies/bookinfo-global.yaml:"
          + (lines + 1) + ": not valid UTF-8 text (byte " + (good.length + 5) + " of the file);"
          + " configuration files must be UTF-8; what was last read from it keeps serving");
    }
  }

  @Test
  void aPolicyFileThatCannotBeReadKeepsItsLastGoodPoliciesServing() throws IOException {
    Path root = copyExample();
    Path file = root.resolve("policies/bookinfo-global.yaml");
    try (FileSource source = source(root)) {
      source.load();
      Files.setPosixFilePermissions(file, java.util.Set.of());
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions do not stop reads");

      Inputs inputs = source.load();

      assertThat(inputs.policies().virtualDestinations()).extracting(v -> v.spec().hostname()).containsExactly("reviews.global");
      assertThat(inputs.errors()).extracting(ConfigError::toString).containsExactly(
          "policies/bookinfo-global.yaml: cannot be read: permission denied; what was last read from it keeps serving");
    }
  }

  @Test
  void aBrokenSymbolicLinkIsAnErrorNamingTheFileAndTheLastGoodVersionKeepsServing() throws IOException {
    // The read failure of an unreadable file, in a form that fails for root too.
    Path root = copyExample();
    Path file = root.resolve(MGMT_REVIEWS);
    try (FileSource source = source(root)) {
      source.load();
      Files.delete(file);
      Files.createSymbolicLink(file, root.resolve("clusters/mgmt-cluster/missing.yaml"));

      Inputs inputs = source.load();

      assertThat(endpointAddresses(inputs)).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
      assertThat(inputs.errors()).extracting(ConfigError::toString).containsExactly(MGMT_REVIEWS
          + ": cannot be read: it does not exist (a broken symbolic link?); what was last read from it keeps serving");
    }
  }

  @Test
  void aFileThatCouldNotBeReadIsReadAgainOnceItCanBeAndHasStoodStill() throws IOException {
    Path root = copyExample();
    Path file = root.resolve(MGMT_REVIEWS);
    Path parked = temp.resolve("reviews.yaml");
    try (FileSource source = source(root)) {
      source.load();
      Files.move(file, parked);
      Files.createSymbolicLink(file, parked.resolveSibling("elsewhere.yaml"));
      assertThat(source.poll().orElseThrow().errors()).hasSize(1);

      Files.move(parked, parked.resolveSibling("elsewhere.yaml"));

      assertThat(source.poll()).isEmpty();
      Inputs readable = source.poll().orElseThrow();
      assertThat(readable.errors()).isEmpty();
      assertThat(endpointAddresses(readable)).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    }
  }

  // Item 5: YAML the reader refuses, in files.

  @Test
  void aBinaryTagIsAnErrorWithFileAndLineAndLaterReloadsStillWork() throws IOException {
    Path root = copyExample();
    Path extra = root.resolve("policies/tagged.yaml");
    String rule = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          host: HOST
        """;
    Files.writeString(extra, rule.replace("HOST", "!!binary cmV2aWV3cw=="));
    try (FileSource source = source(root)) {
      Inputs broken = source.load();

      assertThat(broken.errors()).extracting(ConfigError::toString).containsExactly(
          "policies/tagged.yaml:7: spec.host: YAML tags are not supported (!!binary); write the value without a tag");
      assertThat(broken.policies().virtualDestinations()).hasSize(1);
      assertThat(broken.policies().trafficPolicies()).hasSize(1);

      Files.writeString(extra, rule.replace("HOST", "reviews.bookinfo.svc.cluster.local"));
      Inputs fixed = source.load();

      assertThat(fixed.errors()).isEmpty();
      assertThat(fixed.policies().destinationRules()).extracting(d -> d.spec().host()).containsExactly("reviews.bookinfo.svc.cluster.local");
    }
  }

  @Test
  void anAliasInAPolicyIsAnErrorAndNotItsAnchorName() throws IOException {
    Path root = copyExample();
    Files.writeString(root.resolve("policies/alias.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          host: *svc
        """);
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.policies().destinationRules()).isEmpty();
      assertThat(inputs.errors()).extracting(ConfigError::toString).containsExactly(
          "policies/alias.yaml:7: spec.host: YAML aliases are not supported (*svc); write the value out in full");
    }
  }

  @Test
  void aFourMegabyteKubectlListInAClusterDirectoryIsRead() throws IOException {
    Path root = copyExample();
    StringBuilder dump = new StringBuilder("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n");
    int count = 0;
    while (dump.length() < 4 * 1024 * 1024) {
      dump.append("- apiVersion: v1\n  kind: Service\n  metadata:\n    name: svc-").append(count++)
          .append("\n    namespace: dump\n    annotations:\n      note: \"").append("n".repeat(100))
          .append("\"\n  spec:\n    ports:\n    - name: http\n      port: 80\n      protocol: TCP\n");
    }
    Files.writeString(root.resolve("clusters/remote-cluster/dump.yaml"), dump);
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.errors()).isEmpty();
      assertThat(inputs.world().services().filter(s -> s.namespace().equals("dump"))).hasSize(count);
    }
  }

  // Item 6: duplicates and partial writes.

  @Test
  void aSecondVirtualDestinationLaterInPathOrderIsReportedAtItsOwnNameLineAndClientsKeepTheFirst() throws IOException {
    Path root = copyExample();
    String original = Files.readString(root.resolve("policies/bookinfo-global.yaml"));
    Files.createDirectories(root.resolve("policies/team-b"));
    Files.writeString(root.resolve("policies/team-b/other.yaml"),
        "# another team's copy\n---\n" + original.replace("reviews.global", "reviews.other"));
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.policies().virtualDestinations()).extracting(v -> v.spec().hostname()).containsExactly("reviews.global");
      assertThat(inputs.errors()).extracting(ConfigError::toString).containsExactly(
          "policies/team-b/other.yaml:6: metadata.name: VirtualDestination gloo-mesh/bookinfo-global is defined more than"
              + " once; the one in policies/bookinfo-global.yaml is used");
    }
  }

  @Test
  void aServiceDefinedTwiceInOneClusterIsReportedInTheLaterFileAndTheFirstKept() throws IOException {
    Path root = copyExample();
    Files.writeString(root.resolve("clusters/remote-cluster/zz-more.yaml"), """
        apiVersion: v1
        kind: Service
        metadata:
          labels:
            app: other
          name: reviews
          namespace: bookinfo
        spec:
          ports:
          - name: http
            port: 9080
            protocol: TCP
        """);
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.world().services().filter(s -> s.cluster().toString().equals("remote-cluster")))
          .singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("app", "reviews"));
      assertThat(inputs.errors()).extracting(ConfigError::toString).containsExactly(
          "clusters/remote-cluster/zz-more.yaml:6: metadata.name: Service bookinfo/reviews is defined more than once"
              + " in cluster 'remote-cluster'; the one in clusters/remote-cluster/reviews.yaml is used");
    }
  }

  @Test
  void anEndpointSliceListedTwiceInOneFileIsReportedAtTheSecondOne() throws IOException {
    Path root = copyExample();
    Path file = root.resolve(MGMT_REVIEWS);
    String yaml = Files.readString(file);
    int sliceStart = yaml.indexOf("- addressType: IPv4");
    int sliceEnd = yaml.indexOf("\nkind: List") + 1;
    String doubled = yaml.substring(0, sliceEnd) + yaml.substring(sliceStart, sliceEnd).replace("127.0.0.11", "127.0.0.99")
        + yaml.substring(sliceEnd);
    Files.writeString(file, doubled);
    int secondName = (int) yaml.substring(0, sliceEnd).lines().count()
        + (int) yaml.substring(sliceStart, yaml.indexOf("name: reviews-8kq2w")).lines().count();
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(endpointAddresses(inputs)).doesNotContain("127.0.0.99");
      assertThat(inputs.errors()).extracting(ConfigError::line).containsExactly(secondName);
      assertThat(inputs.errors()).extracting(ConfigError::message).singleElement().asString()
          .startsWith("EndpointSlice bookinfo/reviews-").endsWith(" is defined more than once in cluster 'mgmt-cluster';"
              + " the one in clusters/mgmt-cluster/reviews.yaml is used");
    }
  }

  @Test
  void aFileCaughtMidWriteIsAppliedOnlyOnceItStandsStill() throws IOException {
    Path root = copyExample();
    Path file = root.resolve(MGMT_REVIEWS);
    String complete = Files.readString(file).replace("127.0.0.12", "127.0.0.22");
    try (FileSource source = source(root)) {
      source.load();
      // A writer has got as far as the Service: the EndpointSlice (and its endpoints) are not there yet.
      Files.writeString(file, complete.substring(0, complete.indexOf("- addressType: IPv4")));

      assertThat(source.poll()).isEmpty();

      Files.writeString(file, complete);
      assertThat(source.poll()).isEmpty();

      Inputs settled = source.poll().orElseThrow();
      assertThat(endpointAddresses(settled)).containsExactly("127.0.0.11", "127.0.0.13", "127.0.0.22");
      assertThat(source.poll()).isEmpty();
    }
  }

  @Test
  void aFileRenamedIntoPlaceIsAppliedAtTheFirstLook() throws IOException {
    Path root = copyExample();
    Path file = root.resolve(MGMT_REVIEWS);
    try (FileSource source = source(root)) {
      source.load();
      ConfigDirectories.renameIntoPlace(file, Files.readString(file).replace("127.0.0.12", "127.0.0.22"));

      assertThat(endpointAddresses(source.poll().orElseThrow())).containsExactly("127.0.0.11", "127.0.0.13", "127.0.0.22");
    }
  }

  @Test
  void aNewFileIsAppliedOnceItStandsStill() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      source.load();
      Files.writeString(root.resolve("policies/rule.yaml"), """
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata:
            name: reviews
            namespace: bookinfo
          spec:
            host: reviews.bookinfo.svc.cluster.local
          """);

      assertThat(source.poll()).isEmpty();
      assertThat(source.poll().orElseThrow().policies().destinationRules()).hasSize(1);
    }
  }

  // Item 7: a ConfigMap volume as kubelet presents it.

  /** Lays {@code directory}'s files out as kubelet mounts a ConfigMap: a timestamped directory, ..data, links. */
  static void mountAsConfigMap(Path directory, String timestamp) throws IOException {
    Path data = directory.resolve(timestamp);
    Files.createDirectories(data);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.move(file, data.resolve(file.getFileName()));
        Files.createSymbolicLink(file, Path.of("..data").resolve(file.getFileName()));
      }
    }
    Files.createSymbolicLink(directory.resolve("..data"), Path.of(timestamp));
  }

  /** kubelet's atomic update: a new timestamped directory, ..data relinked by a rename, the old one removed. */
  static void swapConfigMap(Path directory, String oldTimestamp, String newTimestamp,
      java.util.function.UnaryOperator<String> edit) throws IOException {
    Path next = directory.resolve(newTimestamp);
    Files.createDirectories(next);
    try (Stream<Path> files = Files.list(directory.resolve(oldTimestamp))) {
      for (Path file : files.toList()) {
        Files.writeString(next.resolve(file.getFileName()), edit.apply(Files.readString(file)));
      }
    }
    Path link = directory.resolve("..data_tmp");
    Files.createSymbolicLink(link, Path.of(newTimestamp));
    Files.move(link, directory.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (Stream<Path> files = Files.walk(directory.resolve(oldTimestamp))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void configMapMountedPoliciesAndClusterFilesAreEachReadOnce() throws IOException {
    Path root = copyExample();
    mountAsConfigMap(root.resolve("policies"), "..2026_11_30_10_00_00.123");
    mountAsConfigMap(root.resolve("clusters/mgmt-cluster"), "..2026_11_30_10_00_00.456");
    try (FileSource source = source(root)) {
      Inputs inputs = source.load();

      assertThat(inputs.errors()).isEmpty();
      assertThat(inputs.policies().virtualDestinations()).hasSize(1);
      assertThat(inputs.policies().trafficPolicies()).hasSize(1);
      assertThat(endpointAddresses(inputs)).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    }
  }

  @Test
  void aConfigMapSwapIsPickedUpAtTheNextLook() throws IOException {
    Path root = copyExample();
    Path policies = root.resolve("policies");
    Path mgmt = root.resolve("clusters/mgmt-cluster");
    mountAsConfigMap(policies, "..2026_11_30_10_00_00.123");
    mountAsConfigMap(mgmt, "..2026_11_30_10_00_00.456");
    try (FileSource source = source(root)) {
      source.load();

      swapConfigMap(policies, "..2026_11_30_10_00_00.123", "..2026_11_30_10_05_00.789", y -> y.replace("reviews.global", "reviews.moved"));
      swapConfigMap(mgmt, "..2026_11_30_10_00_00.456", "..2026_11_30_10_05_00.790", y -> y.replace("127.0.0.12", "127.0.0.22"));
      Inputs inputs = source.poll().orElseThrow();

      assertThat(inputs.errors()).isEmpty();
      assertThat(inputs.policies().virtualDestinations()).extracting(v -> v.spec().hostname()).containsExactly("reviews.moved");
      assertThat(endpointAddresses(inputs)).containsExactly("127.0.0.11", "127.0.0.13", "127.0.0.22");
    }
  }

  // Item 8: a cluster directory removed while running.

  static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aRemovedClusterDirectoryTurnsStaleKeepsItsEndpointsAndSyncsAgainWhenBack() throws IOException {
    Path root = copyExample();
    Path remote = root.resolve("clusters/remote-cluster");
    Path saved = ConfigDirectories.copy(remote, temp.resolve("saved-remote"));
    try (FileSource source = source(root)) {
      source.load();
      deleteTree(remote);

      Inputs gone = source.poll().orElseThrow();

      assertThat(gone.world().cluster(ClusterId.of("remote-cluster")).orElseThrow().syncState()).isEqualTo(SyncState.STALE);
      assertThat(gone.world().allSynced()).isTrue();
      assertThat(endpointAddresses(gone)).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
      assertThat(services(gone)).contains("remote-cluster/bookinfo/reviews");
      assertThat(gone.errors()).extracting(ConfigError::toString).containsExactly("clusters/remote-cluster: the directory of"
          + " cluster 'remote-cluster' is gone; the cluster is STALE and its last endpoints keep serving until the directory is back");

      ConfigDirectories.copy(saved, remote);
      Files.writeString(remote.resolve("reviews.yaml"), Files.readString(remote.resolve("reviews.yaml")).replace("127.0.0.13", "127.0.0.23"));
      assertThat(source.poll()).isEmpty(); // just appeared: it may still be filling

      Inputs back = source.poll().orElseThrow();
      assertThat(back.world().cluster(ClusterId.of("remote-cluster")).orElseThrow().syncState()).isEqualTo(SyncState.SYNCED);
      assertThat(endpointAddresses(back)).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.23");
      assertThat(back.errors()).isEmpty();
    }
  }

  @Test
  void aClusterDirectoryCaughtHalfDeletedTurnsStaleWithItsEndpointsNotEmpty() throws IOException {
    Path root = copyExample();
    Path remote = root.resolve("clusters/remote-cluster");
    try (FileSource source = source(root)) {
      source.load();
      // rm -r has removed the files, not yet the directory: nothing changes before a second look.
      Files.delete(remote.resolve("reviews.yaml"));
      Files.delete(remote.resolve("nodes.yaml"));
      assertThat(source.poll()).isEmpty();

      Files.delete(remote);
      Inputs gone = source.poll().orElseThrow();

      assertThat(gone.world().cluster(ClusterId.of("remote-cluster")).orElseThrow().syncState()).isEqualTo(SyncState.STALE);
      assertThat(endpointAddresses(gone)).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    }
  }

  @Test
  void aDeletedFileIsRemovedAtTheSecondLookThatFindsItGone() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      source.load();
      Files.delete(root.resolve("policies/reviews-shift-failover.yaml"));

      assertThat(source.poll()).isEmpty();
      Inputs removed = source.poll().orElseThrow();

      assertThat(removed.policies().trafficPolicies()).isEmpty();
      assertThat(removed.errors()).isEmpty();
      assertThat(source.poll()).isEmpty();
    }
  }

  @Test
  void aDeletedClusterFileTakesItsObjectsAwayAtTheSecondLookThatFindsItGoneAndALaterEditIsSeen() throws IOException {
    Path root = copyExample();
    try (FileSource source = source(root)) {
      source.load();
      Path reviews = root.resolve(MGMT_REVIEWS);
      String text = Files.readString(reviews);
      Files.delete(reviews);

      assertThat(source.poll()).isEmpty();
      Inputs removed = source.poll().orElseThrow();

      assertThat(endpointAddresses(removed)).containsExactly("127.0.0.13"); // remote-cluster's
      assertThat(services(removed)).doesNotContain("mgmt-cluster/bookinfo/reviews");
      assertThat(source.poll()).isEmpty();

      // Back under its name: a new file, read once it stood still.
      ConfigDirectories.renameIntoPlace(reviews, text.replace("127.0.0.12", "127.0.0.14"));
      assertThat(source.poll()).isEmpty();
      Inputs back = source.poll().orElseThrow();
      assertThat(endpointAddresses(back)).containsExactly("127.0.0.11", "127.0.0.13", "127.0.0.14");
    }
  }

  @Test
  void readOnceReadsTheDirectoryAsItIsWithoutAPoller() throws IOException {
    Path root = copyExample();
    Path file = root.resolve("clusters/mgmt-cluster/nodes.yaml");
    VicinityConfig config = ConfigReader.read("vicinity.yaml", Files.readString(root.resolve("vicinity.yaml"))).config().orElseThrow();
    Files.writeString(file, "\u0000", java.nio.file.StandardOpenOption.APPEND);

    Inputs inputs = FileSource.readOnce(root, config);

    assertThat(inputs.errors()).extracting(ConfigError::source).containsExactly("clusters/mgmt-cluster/nodes.yaml");
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vicinity-file-source"));
  }

  @Test
  void anEditRemapsWhatChangedAloneAndAnUntouchedClusterKeepsItsWorldInstance() throws IOException {
    Path root = copyExample();
    Path reviews = root.resolve(MGMT_REVIEWS);
    // A second service of mgmt-cluster in a file of its own, which the edit does not touch.
    Files.writeString(reviews.resolveSibling("ratings.yaml"), Files.readString(reviews)
        .replace("reviews", "ratings").replace("127.0.0.1", "127.0.1.1"));
    try (FileSource source = source(root)) {
      Inputs before = source.load();
      ConfigDirectories.renameIntoPlace(reviews, Files.readString(reviews).replace("127.0.0.12", "127.0.0.22"));

      Inputs after = source.poll().orElseThrow();

      ClusterWorld mgmtBefore = before.world().cluster(ClusterId.of("mgmt-cluster")).orElseThrow();
      ClusterWorld mgmtAfter = after.world().cluster(ClusterId.of("mgmt-cluster")).orElseThrow();
      assertThat(after.world().cluster(ClusterId.of("remote-cluster")).orElseThrow())
          .isSameAs(before.world().cluster(ClusterId.of("remote-cluster")).orElseThrow());
      assertThat(endpointAddresses(after)).contains("127.0.0.22").doesNotContain("127.0.0.12");
      assertThat(after.world()).isEqualTo(FileSource.readOnce(root, config(root)).world());
      for (String ratings : List.of("127.0.1.11", "127.0.1.12")) {
        assertThat(endpoint(mgmtAfter, ratings)).as("another service's endpoint").isSameAs(endpoint(mgmtBefore, ratings));
      }
      assertThat(service(mgmtAfter, "reviews")).as("the unchanged Service in the edited file")
          .isSameAs(service(mgmtBefore, "reviews"));
    }
  }

  private static VicinityConfig config(Path root) throws IOException {
    Path file = root.resolve("vicinity.yaml");
    return ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
  }

  private static Endpoint endpoint(ClusterWorld world, String address) {
    return world.endpoints().stream().filter(e -> e.address().equals(address)).findFirst().orElseThrow();
  }

  private static DiscoveredService service(ClusterWorld world, String name) {
    return world.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
