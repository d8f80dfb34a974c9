package dev.vicinity.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.world.SyncState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes reach {@code onChange} through file events, long before the poll: the poll runs once an hour
 * here, so only an event can explain a change seen within the wait. And each change is read once.
 */
class FileSourceEventsTest {
  private static final Duration NO_POLL = Duration.ofHours(1);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String MGMT_REVIEWS = "clusters/mgmt-cluster/reviews.yaml";
  private static final String RULE = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: reviews
        namespace: bookinfo
      spec:
        host: reviews.bookinfo.svc.cluster.local
      """;

  @TempDir Path temp;

  private final Map<String, Integer> reads = new ConcurrentHashMap<>();
  private final AtomicReference<Inputs> delivered = new AtomicReference<>();
  private FileSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private Path copyExample() throws IOException {
    return ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
  }

  /** A source on {@code root} that counts the reads of each file, loaded and watched. */
  private void watch(Path root, Duration pollInterval) throws IOException {
    Path file = root.resolve("vicinity.yaml");
    VicinityConfig config = ConfigReader.read(file.toString(), Files.readString(file)).config().orElseThrow();
    source = new FileSource(root, config, (path, name, limits) -> {
      reads.merge(name, 1, Integer::sum);
      return ConfigFileText.read(path, name, limits);
    });
    source.load();
    source.watch(pollInterval, delivered::set);
  }

  private void awaitDelivered(Predicate<Inputs> shows) {
    await().atMost(WAIT).until(() -> delivered.get() != null && shows.test(delivered.get()));
  }

  private static List<String> endpointAddresses(Inputs inputs) {
    return inputs.world().endpoints().map(Endpoint::address).sorted().toList();
  }

  private static Predicate<Inputs> endpoints(String... addresses) {
    return inputs -> endpointAddresses(inputs).equals(List.of(addresses));
  }

  private static SyncState syncState(Inputs inputs, String cluster) {
    return inputs.world().cluster(ClusterId.of(cluster)).orElseThrow().syncState();
  }

  @Test
  void anEditInPlaceReachesOnChangeAndTheFileIsReadOnce() throws IOException {
    Path root = copyExample();
    watch(root, NO_POLL);
    Path file = root.resolve(MGMT_REVIEWS);
    int readsBefore = reads.get(MGMT_REVIEWS);

    Files.writeString(file, Files.readString(file).replace("127.0.0.12", "127.0.0.22"));
    awaitDelivered(endpoints("127.0.0.11", "127.0.0.13", "127.0.0.22"));
    // Another change afterwards: every look that could read the edited file again has happened by then.
    Files.writeString(root.resolve("policies/rule.yaml"), RULE);
    awaitDelivered(inputs -> inputs.policies().destinationRules().size() == 1);

    assertThat(reads.get(MGMT_REVIEWS) - readsBefore).isEqualTo(1);
    assertThat(reads.get("policies/rule.yaml")).isEqualTo(1);
    assertThat(reads.get("policies/bookinfo-global.yaml")).isEqualTo(1); // the load's, nothing since
  }

  @Test
  void editsOfListedFilesInPlaceOrRenamedIntoPlaceAreLookedAtWithoutListingEveryFileAgain() throws IOException {
    Path root = copyExample();
    watch(root, NO_POLL);
    Path file = root.resolve(MGMT_REVIEWS);
    long fullLooks = source.fullLooks(); // watch returns after its first look

    Files.writeString(file, Files.readString(file).replace("127.0.0.12", "127.0.0.22"));
    awaitDelivered(endpoints("127.0.0.11", "127.0.0.13", "127.0.0.22"));
    ConfigDirectories.renameIntoPlace(file, Files.readString(file).replace("127.0.0.22", "127.0.0.32"));
    awaitDelivered(endpoints("127.0.0.11", "127.0.0.13", "127.0.0.32"));
    assertThat(source.fullLooks()).isEqualTo(fullLooks);

    Files.writeString(root.resolve("policies/rule.yaml"), RULE); // a new file: the listing changes
    awaitDelivered(inputs -> inputs.policies().destinationRules().size() == 1);
    assertThat(source.fullLooks()).isGreaterThan(fullLooks);
  }

  @Test
  void aNewFileReachesOnChange() throws IOException {
    Path root = copyExample();
    watch(root, NO_POLL);

    Files.writeString(root.resolve("policies/rule.yaml"), RULE);

    awaitDelivered(inputs -> inputs.policies().destinationRules().size() == 1);
  }

  @Test
  void aFileRenamedIntoPlaceReachesOnChangeAndIsReadOnce() throws IOException {
    Path root = copyExample();
    watch(root, NO_POLL);
    Path file = root.resolve(MGMT_REVIEWS);
    ConfigDirectories.renameIntoPlace(file, Files.readString(file).replace("127.0.0.12", "127.0.0.22"));
    awaitDelivered(endpoints("127.0.0.11", "127.0.0.13", "127.0.0.22"));
    Files.writeString(root.resolve("policies/rule.yaml"), RULE);
    awaitDelivered(inputs -> inputs.policies().destinationRules().size() == 1);

    assertThat(reads.get(MGMT_REVIEWS)).isEqualTo(2); // the load's and the renamed file's
  }

  @Test
  void aDeletedFileReachesOnChange() throws IOException {
    Path root = copyExample();
    watch(root, NO_POLL);

    Files.delete(root.resolve("policies/reviews-shift-failover.yaml"));

    awaitDelivered(inputs -> inputs.policies().trafficPolicies().isEmpty());
    assertThat(delivered.get().policies().virtualDestinations()).hasSize(1);
  }

  @Test
  void aNewClusterDirectoryReachesOnChangeAndEditsInsideItAreSeen() throws IOException {
    Path root = copyExample();
    Path remote = root.resolve("clusters/remote-cluster");
    Path saved = ConfigDirectories.copy(remote, temp.resolve("saved-remote"));
    FileSourceTest.deleteTree(remote);
    watch(root, NO_POLL);

    ConfigDirectories.copy(saved, remote);
    awaitDelivered(inputs -> syncState(inputs, "remote-cluster") == SyncState.SYNCED);
    assertThat(endpointAddresses(delivered.get())).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");

    Path reviews = remote.resolve("reviews.yaml");
    Files.writeString(reviews, Files.readString(reviews).replace("127.0.0.13", "127.0.0.23"));
    awaitDelivered(endpoints("127.0.0.11", "127.0.0.12", "127.0.0.23"));
  }

  @Test
  void aRemovedClusterDirectoryTurnsStaleThroughEvents() throws IOException {
    Path root = copyExample();
    watch(root, NO_POLL);

    FileSourceTest.deleteTree(root.resolve("clusters/remote-cluster"));

    awaitDelivered(inputs -> syncState(inputs, "remote-cluster") == SyncState.STALE);
    assertThat(endpointAddresses(delivered.get())).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
  }

  @Test
  void aFileInANewPolicySubdirectoryIsSeenAndSoAreItsLaterEdits() throws IOException {
    Path root = copyExample();
    watch(root, NO_POLL);
    Path team = Files.createDirectories(root.resolve("policies/team-b"));
    Path rule = team.resolve("rule.yaml");

    Files.writeString(rule, RULE);
    awaitDelivered(inputs -> inputs.policies().destinationRules().size() == 1);
    Files.writeString(rule, RULE.replace("name: reviews", "name: reviews-b"));

    awaitDelivered(inputs -> inputs.policies().destinationRules().stream().anyMatch(d -> d.ref().name().equals("reviews-b")));
  }

  @Test
  void aKubeletConfigMapSwapReachesOnChange() throws IOException {
    Path root = copyExample();
    Path policies = root.resolve("policies");
    Path mgmt = root.resolve("clusters/mgmt-cluster");
    FileSourceTest.mountAsConfigMap(policies, "..2026_11_30_10_00_00.123");
    FileSourceTest.mountAsConfigMap(mgmt, "..2026_11_30_10_00_00.456");
    watch(root, NO_POLL);

    FileSourceTest.swapConfigMap(policies, "..2026_11_30_10_00_00.123", "..2026_11_30_10_05_00.789",
        y -> y.replace("reviews.global", "reviews.moved"));
    FileSourceTest.swapConfigMap(mgmt, "..2026_11_30_10_00_00.456", "..2026_11_30_10_05_00.790",
        y -> y.replace("127.0.0.12", "127.0.0.22"));

    awaitDelivered(inputs -> endpoints("127.0.0.11", "127.0.0.13", "127.0.0.22").test(inputs)
        && inputs.policies().virtualDestinations().stream().anyMatch(v -> v.spec().hostname().equals("reviews.moved")));
    assertThat(delivered.get().errors()).isEmpty();
  }

  @Test
  void withoutFileEventsTheChangesStillArriveThroughThePoll() throws IOException {
    Path root = copyExample();
    watch(root, Duration.ofMillis(100));
    source.loseEvents();
    Path file = root.resolve(MGMT_REVIEWS);

    Files.writeString(file, Files.readString(file).replace("127.0.0.12", "127.0.0.22"));
    awaitDelivered(endpoints("127.0.0.11", "127.0.0.13", "127.0.0.22"));
    Files.delete(root.resolve("policies/reviews-shift-failover.yaml"));
    awaitDelivered(inputs -> inputs.policies().trafficPolicies().isEmpty());

    assertThat(reads.get(MGMT_REVIEWS)).isEqualTo(2); // the load's and the edit's, however many polls ran
  }
}
