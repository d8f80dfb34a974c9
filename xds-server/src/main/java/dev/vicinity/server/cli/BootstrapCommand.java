package dev.vicinity.server.cli;

import dev.vicinity.server.xds.ClientProfiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vicinity bootstrap}: prints the bootstrap a proxy needs to fetch everything from Vicinity over
 * ADS, with the node fields Vicinity groups proxies by (locality, {@code CLUSTER_ID}, {@code NETWORK},
 * {@code NAMESPACE}): an Envoy bootstrap (YAML), built as Envoy's Bootstrap proto, or a gRPC xDS
 * bootstrap (JSON) for proxyless gRPC clients.
 */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    description = "Print an Envoy bootstrap (YAML) or, with --grpc, a gRPC xDS bootstrap (JSON) pointing at Vicinity.")
final class BootstrapCommand implements Callable<Integer> {
  static final String XDS_CLUSTER = "vicinity-xds";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--node-id", required = true, paramLabel = "ID", description = "The proxy's node id, e.g. productpage-v1.bookinfo.")
  String nodeId;

  @Option(names = "--cluster-id", required = true, paramLabel = "CLUSTER", description = "The Kubernetes cluster the proxy runs in (metadata.CLUSTER_ID).")
  String clusterId;

  @Option(names = "--locality", required = true, paramLabel = "REGION/ZONE[/SUBZONE]", description = "The proxy's locality.")
  String locality;

  @Option(names = "--xds-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:18000", description = "Vicinity's xDS address (default: ${DEFAULT-VALUE}).")
  String xdsAddress;

  @Option(names = "--network", paramLabel = "NETWORK", description = "The proxy's network (metadata.NETWORK).")
  String network;

  @Option(names = "--namespace", paramLabel = "NAMESPACE", description = "The proxy's namespace (metadata.NAMESPACE).")
  String namespace;

  @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "15000", description = "Envoy's admin port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--grpc", description = "Print a gRPC xDS bootstrap (GRPC_XDS_BOOTSTRAP) instead of an Envoy one.")
  boolean grpc;

  @Override
  public Integer call() throws Exception {
    Locality where = locality();
    HostAndPort server = xdsServer();
    Node node = node(where);
    spec.commandLine().getOut().print(grpc ? grpcBootstrap(node, server) : envoyBootstrap(node, server));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private Locality locality() {
    String[] parts = locality.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--locality '" + locality + "': expected region/zone or region/zone/subzone, e.g. us-east-1/us-east-1a");
    }
    Locality.Builder builder = Locality.newBuilder().setRegion(parts[0]).setZone(parts[1]);
    return parts.length == 3 ? builder.setSubZone(parts[2]).build() : builder.build();
  }

  private HostAndPort xdsServer() {
    try {
      HostAndPort address = HostAndPort.fromString(xdsAddress);
      if (address.hasPort() && !address.getHost().isEmpty()) {
        return address;
      }
    } catch (IllegalArgumentException e) {
      // reported below, with what was expected
    }
    throw new CommandLine.ParameterException(spec.commandLine(),
        "--xds-address '" + xdsAddress + "': expected host:port with a port from 1 to 65535, e.g. vicinity.vicinity-system:18000");
  }

  private Node node(Locality where) {
    Struct.Builder metadata = Struct.newBuilder().putFields(ClientProfiles.CLUSTER_ID, text(clusterId));
    if (network != null) {
      metadata.putFields(ClientProfiles.NETWORK, text(network));
    }
    if (namespace != null) {
      metadata.putFields(ClientProfiles.NAMESPACE, text(namespace));
    }
    return Node.newBuilder().setId(nodeId).setCluster(nodeId).setLocality(where).setMetadata(metadata).build();
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private String envoyBootstrap(Node node, HostAndPort server) throws Exception {
    ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3).build();
    boolean literal = InetAddresses.isInetAddress(server.getHost());
    Cluster xds = Cluster.newBuilder()
        .setName(XDS_CLUSTER)
        .setType(literal ? Cluster.DiscoveryType.STATIC : Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Durations.fromSeconds(1))
        .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            Any.pack(HttpProtocolOptions.newBuilder().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(XDS_CLUSTER)
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(socket(server.getHost(), server.getPort()))))))
        .build();
    Bootstrap bootstrap = Bootstrap.newBuilder()
        .setNode(node)
        .setDynamicResources(Bootstrap.DynamicResources.newBuilder()
            .setAdsConfig(ApiConfigSource.newBuilder()
                .setApiType(ApiConfigSource.ApiType.GRPC)
                .setTransportApiVersion(ApiVersion.V3)
                .setSetNodeOnFirstMessageOnly(true)
                .addGrpcServices(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER))))
            .setCdsConfig(ads)
            .setLdsConfig(ads))
        .setStaticResources(Bootstrap.StaticResources.newBuilder().addClusters(xds))
        .setAdmin(Admin.newBuilder().setAddress(socket("127.0.0.1", adminPort)))
        .build();
    String json = JsonFormat.printer()
        .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(HttpProtocolOptions.getDescriptor()).build())
        .preservingProtoFieldNames()
        .print(bootstrap);
    return new YAMLMapper().writeValueAsString(new ObjectMapper().readTree(json));
  }

  private static Address socket(String host, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
  }

  private static String grpcBootstrap(Node node, HostAndPort server) throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    ObjectNode xds = root.putArray("xds_servers").addObject();
    xds.put("server_uri", server.toString());
    xds.putArray("channel_creds").addObject().put("type", "insecure");
    xds.putArray("server_features").add("xds_v3");
    root.set("node", json.readTree(JsonFormat.printer().preservingProtoFieldNames().print(node)));
    return json.writeValueAsString(root) + "\n";
  }
}
