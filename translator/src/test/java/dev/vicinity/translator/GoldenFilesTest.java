package dev.vicinity.translator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.XdsResources;
import dev.vicinity.translator.explain.Explainer;
import java.io.IOException;
import java.nio.file.Files;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input YAML to expected Envoy JSON and to the expected explain view, case by case. On a mismatch AssertJ shows the difference; rerun
 * with {@code -Dgolden.update=true} to accept a deliberate change, then review the diff in git.
 */
class GoldenFilesTest {
  static List<GoldenCase> cases() throws IOException {
    return GoldenCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void translationMatchesTheGoldenFile(GoldenCase golden) throws IOException {
    String actual = GoldenCase.render(golden.translate());

    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden.expected(), actual);
    }
    assertThat(golden.expected()).as("golden file of %s (rewrite with -Dgolden.update=true)", golden).exists();
    assertThat(actual).isEqualTo(Files.readString(golden.expected()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void explainViewMatchesTheGoldenText(GoldenCase golden) throws IOException {
    String actual = golden.explainEveryCluster();

    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden.expectedText(), actual);
    }
    assertThat(golden.expectedText()).as("golden explain text of %s (rewrite with -Dgolden.update=true)", golden).exists();
    assertThat(actual).as("explain view of %s differs from expected.txt (rewrite with -Dgolden.update=true)", golden)
        .isEqualTo(Files.readString(golden.expectedText()));
  }

  /** expected.txt is only worth reading if the explain view routes each host as the translated routes do. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theExplainViewSendsEveryVirtualHostWhereTheTranslatedRouteSendsIt(GoldenCase golden) throws IOException {
    Catalog catalog = golden.catalog();
    XdsResources resources = Translator.translate(catalog, golden.client());
    Set<String> explainedHosts = resources.clusters().stream()
        .flatMap(cluster -> ResourceNames.parseCluster(cluster.getName()).stream())
        .map(name -> ResourceNames.hostPort(name.host(), name.port()))
        .collect(Collectors.toSet());
    for (RouteConfiguration configuration : resources.routes()) {
      for (VirtualHost virtualHost : configuration.getVirtualHostsList()) {
        String hostPort = virtualHost.getName();
        assertThat(explainedHosts).as("%s: virtual host %s has a section in expected.txt", golden, hostPort).contains(hostPort);
        int colon = hostPort.lastIndexOf(':');
        Explainer.Explanation explanation = Explainer.explain(catalog, golden.client(),
            hostPort.substring(0, colon), Optional.of(Integer.parseInt(hostPort.substring(colon + 1))), Set.of());

        Map<String, Integer> explained = explanation.routes().stream()
            .flatMap(route -> route.targets().stream())
            .collect(Collectors.toMap(Explainer.Target::cluster, Explainer.Target::weight));
        assertThat(explained).as("%s: clusters and weights of %s, explained vs translated", golden, hostPort)
            .isEqualTo(routedClusters(virtualHost));
      }
    }
  }

  private static Map<String, Integer> routedClusters(VirtualHost virtualHost) {
    Map<String, Integer> clusters = new HashMap<>();
    for (Route route : virtualHost.getRoutesList()) {
      RouteAction action = route.getRoute();
      if (action.hasWeightedClusters()) {
        action.getWeightedClusters().getClustersList()
            .forEach(cluster -> clusters.put(cluster.getName(), cluster.getWeight().getValue()));
      } else {
        clusters.put(action.getCluster(), 1); // the explain view's weight for a route's only cluster
      }
    }
    return clusters;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theCasesClientWouldAcceptEveryResourceOfTheCase(GoldenCase golden) throws IOException {
    assertThat(ClientAcceptance.check(golden.translate(), golden.client().kind())).isEmpty();
  }
}
