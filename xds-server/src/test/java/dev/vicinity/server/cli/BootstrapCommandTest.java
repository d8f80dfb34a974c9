package dev.vicinity.server.cli;

import dev.vicinity.server.xds.ClientProfiles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BootstrapCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var command = VicinityCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    return command.execute(args);
  }

  /** Strict: an unknown or misspelt field fails, as Envoy would reject it. */
  private static Bootstrap envoy(String yaml) throws Exception {
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(HttpProtocolOptions.getDescriptor()).build())
        .merge(new ObjectMapper().writeValueAsString(new YAMLMapper().readTree(yaml)), bootstrap);
    return bootstrap.build();
  }

  @Test
  void anEnvoyBootstrapSaysWhatVicinityGroupsProxiesByAndWhereItIs() throws Exception {
    assertThat(run("bootstrap", "--node-id", "productpage-v1.bookinfo", "--cluster-id", "mgmt-cluster",
        "--locality", "us-east-1/us-east-1a/sz1", "--network", "network1", "--xds-address", "vicinity.vicinity-system:18000"))
        .isZero();

    Bootstrap bootstrap = envoy(out.toString());
    ClientProfile profile = ClientProfiles.of(bootstrap.getNode());
    assertThat(profile.kind()).isEqualTo(ClientKind.ENVOY);
    assertThat(profile.cluster()).isEqualTo("mgmt-cluster");
    assertThat(profile.locality().toString()).isEqualTo("us-east-1/us-east-1a/sz1");
    assertThat(profile.network()).isEqualTo("network1");
    String adsCluster = bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName();
    Cluster xds = bootstrap.getStaticResources().getClusters(0);
    assertThat(xds.getName()).isEqualTo(adsCluster);
    assertThat(xds.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    SocketAddress address = xds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertThat(address.getAddress()).isEqualTo("vicinity.vicinity-system");
    assertThat(address.getPortValue()).isEqualTo(18000);
    assertThat(bootstrap.getDynamicResources().getCdsConfig().hasAds()).isTrue();
    assertThat(bootstrap.getDynamicResources().getLdsConfig().hasAds()).isTrue();
  }

  @Test
  void anIpAddressMakesAStaticXdsCluster() throws Exception {
    assertThat(run("bootstrap", "--node-id", "a", "--cluster-id", "c", "--locality", "r/z")).isZero();

    assertThat(envoy(out.toString()).getStaticResources().getClusters(0).getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
  }

  @Test
  void aGrpcBootstrapNamesTheServerAndTheNode() throws Exception {
    assertThat(run("bootstrap", "--grpc", "--node-id", "productpage-v1.bookinfo", "--cluster-id", "mgmt-cluster",
        "--locality", "us-east-1/us-east-1a", "--xds-address", "127.0.0.1:18001")).isZero();

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.at("/xds_servers/0/server_uri").asText()).isEqualTo("127.0.0.1:18001");
    assertThat(json.at("/xds_servers/0/channel_creds/0/type").asText()).isEqualTo("insecure");
    Node.Builder node = Node.newBuilder();
    JsonFormat.parser().merge(json.get("node").toString(), node);
    ClientProfile profile = ClientProfiles.of(node.build());
    assertThat(profile.cluster()).isEqualTo("mgmt-cluster");
    assertThat(profile.locality().toString()).isEqualTo("us-east-1/us-east-1a");
  }

  @Test
  void badLocalityOrAddressIsAClearUsageError() {
    assertThat(run("bootstrap", "--node-id", "a", "--cluster-id", "c", "--locality", "us-east-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--locality 'us-east-1': expected region/zone");

    assertThat(run("bootstrap", "--node-id", "a", "--cluster-id", "c", "--locality", "r/z", "--xds-address", "nohost")).isEqualTo(2);
    assertThat(err.toString()).contains("--xds-address 'nohost': expected host:port");
  }
}
