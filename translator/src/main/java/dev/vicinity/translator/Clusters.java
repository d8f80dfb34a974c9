package dev.vicinity.translator;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.vicinity.api.policy.OutlierDetection;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.v3.Percent;
import java.time.Duration;

/** Builds the EDS Cluster of a destination. */
final class Clusters {
  /** Envoy's own outlier detection defaults, used for fields a policy leaves out. */
  static final int DEFAULT_CONSECUTIVE_ERRORS = 5;
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_EJECTION_PERCENT = 10;

  private static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private Clusters() {}

  /** Endpoints come over the same ADS stream as everything else. */
  static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  static Cluster build(Destination destination) {
    Cluster.CommonLbConfig.Builder lb = Cluster.CommonLbConfig.newBuilder()
        .setLocalityWeightedLbConfig(Cluster.CommonLbConfig.LocalityWeightedLbConfig.getDefaultInstance());
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(destination.clusterName())
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setEdsConfig(ads())
            .setServiceName(destination.clusterName()))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    destination.outlierDetection().ifPresent(outlier -> {
      cluster.setOutlierDetection(outlierDetection(outlier));
      // With failover configured the panic threshold is Istio's minHealthPercent, 0 by default: never
      // spread traffic over ejected endpoints while another priority could take it.
      lb.setHealthyPanicThreshold(Percent.newBuilder().setValue(0));
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

  /**
   * Gloo Mesh's {@code consecutiveErrors} counts 5xx responses, and, as Envoy maps them to 503, failed
   * connections: Envoy's {@code consecutive_5xx}, enforced every time.
   */
  static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection outlierDetection(OutlierDetection outlier) {
    return io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
        .setConsecutive5Xx(UInt32Value.of(orDefault(outlier.consecutiveErrors(), DEFAULT_CONSECUTIVE_ERRORS)))
        .setEnforcingConsecutive5Xx(UInt32Value.of(100))
        .setInterval(protoDuration(orDefault(outlier.interval(), DEFAULT_INTERVAL)))
        .setBaseEjectionTime(protoDuration(orDefault(outlier.baseEjectionTime(), DEFAULT_BASE_EJECTION_TIME)))
        .setMaxEjectionPercent(UInt32Value.of(orDefault(outlier.maxEjectionPercent(), DEFAULT_MAX_EJECTION_PERCENT)))
        .build();
  }

  static com.google.protobuf.Duration protoDuration(Duration duration) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
