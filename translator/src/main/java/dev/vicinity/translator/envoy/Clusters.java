package dev.vicinity.translator.envoy;

import com.google.protobuf.Any;
import dev.vicinity.translator.Destination;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.v3.Percent;

/** Builds the EDS Cluster of a destination. */
public final class Clusters {
  private static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private Clusters() {}

  /** Endpoints come over the same ADS stream as everything else. */
  static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  public static Cluster build(Destination destination) {
    Cluster.CommonLbConfig.Builder lb = Cluster.CommonLbConfig.newBuilder()
        .setLocalityWeightedLbConfig(Cluster.CommonLbConfig.LocalityWeightedLbConfig.getDefaultInstance());
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(destination.clusterName())
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setEdsConfig(ads())
            .setServiceName(destination.clusterName()))
        .setLbPolicy(destination.loadBalancing().policy());
    destination.loadBalancing().outlierDetection().ifPresent(outlier -> {
      cluster.setOutlierDetection(outlier);
      // With outlier detection the panic threshold is Istio's minHealthPercent, 0 by default: never
      // spread traffic over ejected endpoints while another priority could take it.
      lb.setHealthyPanicThreshold(Percent.newBuilder().setValue(destination.loadBalancing().minHealthPercent()));
    });
    cluster.setCommonLbConfig(lb);
    if (destination.protocol().needsHttp2Upstream()) {
      cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(HttpProtocolOptions.newBuilder()
          .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
              .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
          .build()));
    }
    return cluster.build();
  }
}
