package dev.vicinity.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kustomize base (deploy/kubernetes) renders the objects the chart renders with its default values:
 * the same kinds and names, and the same content apart from labels (Helm's own) and the ConfigMap's name,
 * whose hash suffix is kustomize's way of rolling the pods when vicinity.yaml changes (the chart's is a
 * checksum annotation). The base also creates the namespace, which Helm's --create-namespace does.
 */
class KustomizeBaseTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** kustomize's configMapGenerator suffix: a dash and ten characters of a hash. */
  private static final Pattern GENERATED_SUFFIX = Pattern.compile("-[a-z0-9]{10}$");

  private static Manifests kustomize;
  private static Manifests chart;

  /** Per test rather than once, so that without kubectl each test is reported skipped with the reason. */
  @BeforeEach
  void render() throws IOException, InterruptedException {
    if (kustomize != null) {
      return;
    }
    Manifests fromKustomize = Manifests.parse(Kustomize.build(HelmChart.deployDirectory().resolve("kubernetes")));
    List<HasMetadata> chartObjects = new ArrayList<>(HelmChart.render().objects());
    chartObjects.addAll(chartCrds());
    chart = new Manifests(chartObjects);
    kustomize = fromKustomize;
  }

  /** Helm installs crds/ as they are (helm template leaves them out). */
  private static List<HasMetadata> chartCrds() throws IOException {
    try (Stream<Path> files = Files.list(HelmChart.chart().resolve("crds"))) {
      List<HasMetadata> crds = new ArrayList<>();
      for (Path file : files.sorted().toList()) {
        crds.addAll(Manifests.parse(Files.readString(file)).objects());
      }
      return crds;
    }
  }

  private static String key(HasMetadata object) {
    String name = object.getMetadata().getName();
    if (object instanceof ConfigMap) {
      name = GENERATED_SUFFIX.matcher(name).replaceFirst("");
    }
    return object.getKind() + " " + name;
  }

  private static Map<String, HasMetadata> byKey(Manifests manifests) {
    Map<String, HasMetadata> objects = new TreeMap<>();
    manifests.objects().stream().filter(o -> !(o instanceof Namespace)).forEach(o -> objects.put(key(o), o));
    return objects;
  }

  /** The object without what legitimately differs: labels, annotations, generated names, YAML text layout. */
  private static JsonNode comparable(HasMetadata object) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(SERIALIZATION.asJson(object));
    ObjectNode metadata = (ObjectNode) tree.get("metadata");
    metadata.remove(List.of("labels", "annotations"));
    metadata.put("name", key(object).substring(object.getKind().length() + 1));
    if (object instanceof Deployment) {
      ((ObjectNode) tree.at("/spec/template/metadata")).remove(List.of("labels", "annotations"));
      for (JsonNode volume : tree.at("/spec/template/spec/volumes")) {
        if (volume.has("configMap")) {
          ObjectNode configMap = (ObjectNode) volume.get("configMap");
          configMap.put("name", GENERATED_SUFFIX.matcher(configMap.get("name").asText()).replaceFirst(""));
        }
      }
    }
    if (object instanceof ConfigMap configMap) {
      ObjectNode data = (ObjectNode) tree.get("data");
      data.set("vicinity.yaml", VicinityYaml.of(configMap).tree());
    }
    return tree;
  }

  @Test
  void rendersTheChartsObjectsAndTheNamespace() {
    assertThat(byKey(kustomize).keySet()).containsExactlyElementsOf(byKey(chart).keySet());
    assertThat(kustomize.all(Namespace.class)).singleElement()
        .satisfies(namespace -> assertThat(namespace.getMetadata().getName()).isEqualTo(HelmChart.NAMESPACE));
  }

  @Test
  void everyObjectHasTheChartsContent() throws IOException {
    Map<String, HasMetadata> fromChart = byKey(chart);
    Map<String, List<String>> differences = new TreeMap<>();
    for (Map.Entry<String, HasMetadata> entry : byKey(kustomize).entrySet()) {
      HasMetadata expected = fromChart.get(entry.getKey());
      if (expected == null) {
        differences.put(entry.getKey(), List.of("not rendered by the chart"));
        continue;
      }
      List<String> differing = new ArrayList<>();
      differences("", comparable(entry.getValue()), comparable(expected), differing);
      if (!differing.isEmpty()) {
        differences.put(entry.getKey(), differing);
      }
    }
    assertThat(differences).as("kustomize base vs chart (path: kustomize's value / the chart's)").isEmpty();
  }

  /** The JSON paths where two trees differ, with both values. */
  private static void differences(String path, JsonNode actual, JsonNode expected, List<String> differing) {
    if (actual.equals(expected)) {
      return;
    }
    if (actual.isObject() && expected.isObject()) {
      Set<String> fields = new TreeSet<>();
      actual.fieldNames().forEachRemaining(fields::add);
      expected.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        differences(path + "/" + field, actual.path(field), expected.path(field), differing);
      }
    } else if (actual.isArray() && expected.isArray() && actual.size() == expected.size()) {
      for (int i = 0; i < actual.size(); i++) {
        differences(path + "/" + i, actual.get(i), expected.get(i), differing);
      }
    } else {
      differing.add(path + ": " + actual + " / " + expected);
    }
  }

  @Test
  void theDeploymentMountsTheGeneratedConfigMap() {
    String generated = kustomize.only(ConfigMap.class).getMetadata().getName();
    assertThat(kustomize.only(Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(volume -> assertThat(volume.getConfigMap().getName()).isEqualTo(generated));
  }

  @Test
  void theServiceCarriesTheSameScrapeAnnotations() {
    assertThat(kustomize.only(Service.class).getMetadata().getAnnotations())
        .isEqualTo(chart.only(Service.class).getMetadata().getAnnotations());
  }
}
