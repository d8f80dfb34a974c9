package dev.vicinity.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One simulated proxy: an ADS state-of-the-world stream that asks for every cluster (wildcard CDS),
 * then for the load assignments of the EDS clusters it was given, as Envoy does, and ACKs every
 * response at once. What it last ACKed is readable from any thread; after each ACK it tells the fleet,
 * which times the arrivals it is waiting for.
 *
 * <p>Responses of one stream arrive one at a time (gRPC serialises a call's callbacks); the lock only
 * keeps a reconnect from interleaving with the callbacks of the stream it replaces.
 */
final class SimulatedClient {
  static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String ENDPOINT_TYPE = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  private final int index;
  private final Node node;
  private final Consumer<SimulatedClient> onAck;
  /** Keeps the CDS response and each EDS version it receives, to replay them from the floor server. */
  private final boolean recording;

  private Stream stream;
  private volatile String clusterVersion;
  private volatile List<String> edsClusters = List.of();
  private volatile String endpointVersion;
  private volatile Set<String> assignments = Set.of();
  private volatile Throwable error;
  /** The load assignment whose content the harness follows, and its bytes as last received. */
  private volatile String watched;
  private volatile ByteString watchedAssignment;
  /** Serialized bytes of every response received, over all streams: what the server sent this client. */
  private volatile long bytesReceived;
  private DiscoveryResponse recordedClusters;
  private final Map<String, DiscoveryResponse> recordedEndpoints = new LinkedHashMap<>();
  /** The first EDS response: every load assignment (later ones carry only those that changed). */
  private DiscoveryResponse firstRecordedEndpoints;

  SimulatedClient(int index, Node node, boolean recording, Consumer<SimulatedClient> onAck) {
    this.index = index;
    this.node = node;
    this.recording = recording;
    this.onAck = onAck;
  }

  int index() {
    return index;
  }

  /** The CDS version last ACKed on the current stream, or null. */
  String clusterVersion() {
    return clusterVersion;
  }

  /** The EDS version last ACKed on the current stream, or null. */
  String endpointVersion() {
    return endpointVersion;
  }

  /** The EDS clusters of the last ACKed CDS response. */
  List<String> edsClusters() {
    return edsClusters;
  }

  /**
   * The cluster names of the load assignments held: as Envoy does, an EDS response replaces the
   * assignments it carries, and an assignment goes when its cluster leaves CDS.
   */
  Set<String> assignments() {
    return assignments;
  }

  /** Has ACKed CDS and a load assignment for each of its EDS clusters on the current stream. */
  boolean converged() {
    return clusterVersion != null && endpointVersion != null && assignments.containsAll(edsClusters);
  }

  Throwable error() {
    return error;
  }

  /** Follows the content of load assignment {@code name}, readable with {@link #watchedAssignment}. */
  void watch(String name) {
    watched = name;
  }

  /** The bytes of the watched load assignment as last received on the current stream, or null. */
  ByteString watchedAssignment() {
    return watchedAssignment;
  }

  /** The serialized size of every response this client received so far. */
  long bytesReceived() {
    return bytesReceived;
  }

  /** Opens a new stream on {@code channel}, forgetting everything the previous one received. */
  synchronized void open(Channel channel) {
    forget();
    stream = new Stream();
    AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(stream);
    stream.requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CLUSTER_TYPE).build());
  }

  /** Cancels the current stream and forgets what it received; its late callbacks are ignored. */
  synchronized void close() {
    Stream closing = stream;
    stream = null; // first: a cancel may call back at once, and is no failure
    if (closing != null) {
      closing.requests.cancel("closed by the harness", null);
    }
    forget();
  }

  private void forget() {
    clusterVersion = null;
    endpointVersion = null;
    edsClusters = List.of();
    assignments = Set.of();
    watchedAssignment = null;
    error = null;
  }

  synchronized DiscoveryResponse recordedClusters() {
    return recordedClusters;
  }

  /** The EDS responses of the last few versions, by version, oldest first. */
  synchronized DiscoveryResponse firstRecordedEndpoints() {
    return firstRecordedEndpoints;
  }

  synchronized Map<String, DiscoveryResponse> recordedEndpoints() {
    return new LinkedHashMap<>(recordedEndpoints);
  }

  private synchronized void received(Stream from, DiscoveryResponse response) {
    if (from != stream) {
      return;
    }
    bytesReceived += response.getSerializedSize(); // one writer: callbacks are serialised and this method is synchronized
    DiscoveryRequest.Builder ack = DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce());
    switch (response.getTypeUrl()) {
      case CLUSTER_TYPE -> {
        List<String> eds = edsClusters(response);
        from.requests.onNext(ack.build());
        clusterVersion = response.getVersionInfo();
        if (recording) {
          recordedClusters = response;
        }
        if (!eds.equals(edsClusters)) {
          edsClusters = eds;
          Set<String> held = new HashSet<>(assignments);
          held.retainAll(new HashSet<>(eds));
          assignments = held;
          // Envoy's subscription change: the EDS version and nonce it holds, with the new names.
          from.requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(ENDPOINT_TYPE).addAllResourceNames(eds)
              .setVersionInfo(endpointVersion == null ? "" : endpointVersion).setResponseNonce(from.endpointNonce).build());
        }
      }
      case ENDPOINT_TYPE -> {
        from.requests.onNext(ack.addAllResourceNames(edsClusters).build());
        from.endpointNonce = response.getNonce();
        Set<String> names = new HashSet<>(assignments);
        for (Any resource : response.getResourcesList()) {
          String name = firstString(resource.getValue());
          names.add(name);
          if (name.equals(watched)) {
            watchedAssignment = resource.getValue();
          }
        }
        assignments = names;
        endpointVersion = response.getVersionInfo();
        if (recording && firstRecordedEndpoints == null) {
          firstRecordedEndpoints = response;
        }
        if (recording) {
          // In order of last arrival, so that the last two are the two versions the changes alternate between.
          recordedEndpoints.remove(response.getVersionInfo());
          recordedEndpoints.put(response.getVersionInfo(), response);
          if (recordedEndpoints.size() > 4) {
            recordedEndpoints.remove(recordedEndpoints.keySet().iterator().next());
          }
        }
      }
      default -> from.requests.onNext(ack.build());
    }
    onAck.accept(this);
  }

  private synchronized void failed(Stream from, Throwable t) {
    if (from == stream) {
      error = t;
    }
  }

  /** The EDS clusters' service names (or names), in order. */
  private static List<String> edsClusters(DiscoveryResponse response) {
    List<String> names = new ArrayList<>();
    for (Any resource : response.getResourcesList()) {
      try {
        Cluster cluster = Cluster.parseFrom(resource.getValue());
        if (cluster.getType() == Cluster.DiscoveryType.EDS) {
          String service = cluster.getEdsClusterConfig().getServiceName();
          names.add(service.isEmpty() ? cluster.getName() : service);
        }
      } catch (InvalidProtocolBufferException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  /**
   * Field 1 of a message: a ClusterLoadAssignment's cluster name, read without parsing its endpoints,
   * so that the fleet's own CPU goes to the network rather than to decoding.
   */
  private static String firstString(ByteString message) {
    try {
      CodedInputStream in = message.newCodedInput();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          return in.readStringRequireUtf8();
        }
        in.skipField(tag);
      }
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final class Stream implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
    private ClientCallStreamObserver<DiscoveryRequest> requests;
    private String endpointNonce = "";

    @Override
    public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      received(this, response);
    }

    @Override
    public void onError(Throwable t) {
      failed(this, t);
    }

    @Override
    public void onCompleted() {
      failed(this, new IllegalStateException("server ended the stream"));
    }
  }
}
