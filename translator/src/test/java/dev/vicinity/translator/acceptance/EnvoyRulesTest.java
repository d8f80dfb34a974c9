package dev.vicinity.translator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;

/** Envoy's rules on the resource types Vicinity sends, each broken by hand the way a translator bug could. */
class EnvoyRulesTest {
  private static Cluster.Builder cluster() {
    return Cluster.newBuilder().setName("outbound|9080||reviews.global").setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(Duration.newBuilder().setSeconds(1));
  }

  private static LbEndpoint endpoint(String address) {
    return LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(9080)))).build();
  }

  private static Route.Builder route() {
    return Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster("outbound|9080||reviews.global"));
  }

  private static RouteConfiguration routes(VirtualHost.Builder host) {
    return RouteConfiguration.newBuilder().setName("9080").addVirtualHosts(host).build();
  }

  private static VirtualHost.Builder host() {
    return VirtualHost.newBuilder().setName("reviews").addDomains("reviews.global").addRoutes(route());
  }

  private static Listener listener(HttpConnectionManager manager) {
    return Listener.newBuilder().setName("outbound_9080")
        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(15001)))
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(manager))))
        .build();
  }

  private static HttpConnectionManager.Builder manager() {
    return HttpConnectionManager.newBuilder().setStatPrefix("outbound_9080")
        .setRouteConfig(routes(host()))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router").setTypedConfig(Any.pack(Router.getDefaultInstance())));
  }

  @Test
  void wellFormedResourcesOfEveryTypePass() {
    assertThat(EnvoyRules.check(cluster().build())).isEmpty();
    assertThat(EnvoyRules.check(ClusterLoadAssignment.newBuilder().setClusterName("c")
        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(endpoint("10.0.0.1"))).build())).isEmpty();
    assertThat(EnvoyRules.check(routes(host()))).isEmpty();
    assertThat(EnvoyRules.check(listener(manager().build()))).isEmpty();
  }

  @Test
  void anOutlierDetectionPercentageAbove100IsRefusedNamingTheField() {
    Cluster cluster = cluster().setOutlierDetection(OutlierDetection.newBuilder().setMaxEjectionPercent(UInt32Value.of(150))).build();

    assertThat(EnvoyRules.check(cluster)).containsExactly(new Violation("Cluster outbound|9080||reviews.global",
        "outlier_detection.max_ejection_percent", "uint32.lte", "150 is above 100"));
  }

  @Test
  void anEmptyClusterNameIsRefused() {
    assertThat(EnvoyRules.check(cluster().setName("").build()))
        .containsExactly(new Violation("Cluster ", "name", "string.min_len", "\"\" has 0 characters, fewer than 1"));
  }

  @Test
  void aZeroConnectTimeoutAndAnUndefinedLoadBalancingPolicyAreRefused() {
    Cluster cluster = cluster().setConnectTimeout(Duration.getDefaultInstance()).setLbPolicyValue(99).build();

    assertThat(EnvoyRules.check(cluster)).extracting(Violation::field, Violation::rule, Violation::message).containsExactly(
        tuple("connect_timeout", "duration.gt", "0s is not above 0s"),
        tuple("lb_policy", "enum.defined_only", "99 is not a value of LbPolicy"));
  }

  @Test
  void aLoadAssignmentWithoutClusterNameOrWithAnEndpointWithoutAddressIsRefusedAtTheEndpointsPath() {
    ClusterLoadAssignment assignment = ClusterLoadAssignment.newBuilder()
        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(endpoint("10.0.0.1"))
            .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.getDefaultInstance()))))
        .setPolicy(ClusterLoadAssignment.Policy.newBuilder().setOverprovisioningFactor(UInt32Value.of(0)))
        .build();

    assertThat(EnvoyRules.check(assignment)).extracting(Violation::field, Violation::rule).containsExactly(
        tuple("cluster_name", "string.min_len"),
        tuple("endpoints[0].lb_endpoints[1].endpoint.address.address", "oneof.required"),
        tuple("policy.overprovisioning_factor", "uint32.gt"));
  }

  @Test
  void aVirtualHostWithoutDomainsOrARouteWithoutMatchOrActionIsRefused() {
    RouteConfiguration broken = routes(host().clearDomains().clearRoutes()
        .addRoutes(route().clearMatch())
        .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))));

    assertThat(EnvoyRules.check(broken)).extracting(Violation::field, Violation::rule).containsExactly(
        tuple("virtual_hosts[0].domains", "repeated.min_items"),
        tuple("virtual_hosts[0].routes[0].match", "message.required"),
        tuple("virtual_hosts[0].routes[1].action", "oneof.required"));
  }

  @Test
  void aDomainWithANewlineBreaksTheHeaderValueRuleOfItsItem() {
    assertThat(EnvoyRules.check(routes(host().addDomains("reviews\n.global"))))
        .extracting(Violation::field, Violation::rule)
        .containsExactly(tuple("virtual_hosts[0].domains[1]", "string.well_known_regex"));
  }

  @Test
  void anEmptyMetadataNamespaceBreaksTheMapKeyRule() {
    Cluster cluster = cluster().setMetadata(Metadata.newBuilder().putFilterMetadata("", Struct.getDefaultInstance())).build();

    assertThat(EnvoyRules.check(cluster)).extracting(Violation::field, Violation::rule, Violation::message)
        .containsExactly(tuple("metadata.filter_metadata[\"\"]", "string.min_len", "key \"\" has 0 characters, fewer than 1"));
  }

  @Test
  void theRulesOfATypedConfigAreCheckedInsideItsAny() {
    Listener listener = listener(manager().setStatPrefix("")
        .setHttpFilters(0, HttpFilter.newBuilder().setName("").setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build());

    assertThat(EnvoyRules.check(listener)).extracting(Violation::resource, Violation::field, Violation::rule).containsExactly(
        tuple("Listener outbound_9080", "filter_chains[0].filters[0].typed_config(HttpConnectionManager).stat_prefix", "string.min_len"),
        tuple("Listener outbound_9080", "filter_chains[0].filters[0].typed_config(HttpConnectionManager).http_filters[0].name",
            "string.min_len"));
  }

  @Test
  void anAnyOfATypeNotOnTheClasspathIsSkipped() {
    Listener listener = listener(manager().build()).toBuilder()
        .setFilterChains(0, FilterChain.newBuilder().addFilters(Filter.newBuilder().setName("example")
            .setTypedConfig(Any.newBuilder().setTypeUrl("type.googleapis.com/example.v1.Unknown")
                .setValue(ByteString.copyFromUtf8("anything")))))
        .build();

    assertThat(EnvoyRules.check(listener)).isEmpty();
  }

  @Test
  void anAnyWhosePayloadDoesNotParseAsItsTypeIsRefused() {
    Listener listener = listener(manager().build()).toBuilder()
        .setFilterChains(0, FilterChain.newBuilder().addFilters(Filter.newBuilder().setName("hcm")
            .setTypedConfig(Any.newBuilder().setTypeUrl(Any.pack(HttpConnectionManager.getDefaultInstance()).getTypeUrl())
                .setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff})))))
        .build();

    assertThat(EnvoyRules.check(listener)).extracting(Violation::field, Violation::rule)
        .containsExactly(tuple("filter_chains[0].filters[0].typed_config(HttpConnectionManager)", "any.payload"));
  }
}
