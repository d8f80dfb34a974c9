package dev.vicinity.server;

import dev.vicinity.server.xds.ClientProfiles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bootstraps in deploy/ are what the README shows: they must be valid and say what Vicinity reads. */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of(System.getProperty("vicinity.root", "..")).resolve("deploy");

  @Test
  void envoyBootstrapIsAValidEnvoyBootstrapPointingAtVicinity() throws IOException {
    JsonNode yaml = new YAMLMapper().readTree(DEPLOY.resolve("envoy-bootstrap.yaml").toFile());
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();

    // Strict: an unknown or misspelt field fails the parse, as Envoy would reject it.
    JsonFormat.parser()
        .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(HttpProtocolOptions.getDescriptor()).build())
        .merge(new ObjectMapper().writeValueAsString(yaml), bootstrap);

    var profile = ClientProfiles.of(bootstrap.getNode());
    assertThat(profile.cluster()).isEqualTo("mgmt-cluster");
    assertThat(profile.locality().toString()).isEqualTo("us-east-1/us-east-1a");
    assertThat(bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName())
        .isEqualTo(bootstrap.getStaticResources().getClusters(0).getName());
    assertThat(bootstrap.getStaticResources().getClusters(0).getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
        .getEndpoint().getAddress().getSocketAddress().getPortValue()).isEqualTo(18000);
  }
}
