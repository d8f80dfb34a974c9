package dev.vicinity.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vicinity.api.config.ConfigReader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;

/** The vicinity.yaml a ConfigMap holds, as Vicinity's own reader reads it. */
record VicinityYaml(String text) {
  private static final ObjectMapper YAML = new YAMLMapper();
  static final String LEADER_ELECTION = "leaderElection";

  static VicinityYaml of(ConfigMap configMap) {
    String text = configMap.getData().get("vicinity.yaml");
    if (text == null) {
      throw new AssertionError("ConfigMap " + configMap.getMetadata().getName() + " holds no vicinity.yaml: " + configMap.getData().keySet());
    }
    return new VicinityYaml(text);
  }

  /** The tree, for checks of what the chart wrote. */
  JsonNode tree() {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("vicinity.yaml is not YAML: " + e.getMessage() + "\n" + text, e);
    }
  }

  /** Read by Vicinity's own {@link ConfigReader}, which reports every error. */
  ConfigReader.Result read() {
    return ConfigReader.read("vicinity.yaml", text);
  }
}
