package dev.vicinity.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicySetTest {

  private static VirtualDestination vd(String namespace, String name) {
    return new VirtualDestination(new ObjectMeta(name, namespace, null, null),
        new VirtualDestination.Spec(name + ".global", null, null, null, null, null));
  }

  private static TrafficPolicy tp(String namespace, String name) {
    return new TrafficPolicy(new ObjectMeta(name, namespace, null, null), new TrafficPolicy.Spec(null, null));
  }

  @Test
  void sortsEachKindByNamespaceThenName() {
    PolicySet set = PolicySet.of(List.of(
        tp("bookinfo", "b"), vd("gloo-mesh", "z"), vd("alpha", "zz"), tp("alpha", "x"),
        vd("gloo-mesh", "a"), tp("bookinfo", "a")));

    assertThat(set.virtualDestinations()).extracting(Policy::ref).containsExactly(
        new ObjectRef("zz", "alpha"), new ObjectRef("a", "gloo-mesh"), new ObjectRef("z", "gloo-mesh"));
    assertThat(set.trafficPolicies()).extracting(Policy::ref).containsExactly(
        new ObjectRef("x", "alpha"), new ObjectRef("a", "bookinfo"), new ObjectRef("b", "bookinfo"));
  }

  @Test
  void equalInputsInAnyOrderGiveEqualSets() {
    List<Policy> policies = List.of(vd("ns", "b"), tp("ns", "t"), vd("ns", "a"));
    List<Policy> reversed = List.of(vd("ns", "a"), tp("ns", "t"), vd("ns", "b"));

    assertThat(PolicySet.of(policies)).isEqualTo(PolicySet.of(reversed));
  }

  @Test
  void missingNamespaceSortsAsDefault() {
    PolicySet set = PolicySet.of(List.of(vd("gloo-mesh", "a"), vd(null, "b"), vd("bookinfo", "c")));

    assertThat(set.virtualDestinations()).extracting(Policy::ref).containsExactly(
        new ObjectRef("c", "bookinfo"), new ObjectRef("b", "default"), new ObjectRef("a", "gloo-mesh"));
  }

  @Test
  void findsAVirtualDestinationByRef() {
    PolicySet set = PolicySet.of(List.of(vd("gloo-mesh", "bookinfo-global"), vd("other", "bookinfo-global")));

    assertThat(set.virtualDestination(new ObjectRef("bookinfo-global", "gloo-mesh")))
        .hasValueSatisfying(found -> assertThat(found.metadata().namespace()).isEqualTo("gloo-mesh"));
    assertThat(set.virtualDestination(new ObjectRef("bookinfo-global", "missing"))).isEmpty();
  }

  @Test
  void listsAreImmutable() {
    PolicySet set = PolicySet.of(List.of(vd("a", "a"), tp("a", "a")));

    assertThat(set.virtualDestinations()).isUnmodifiable();
    assertThat(set.trafficPolicies()).isUnmodifiable();
  }

  @Test
  void emptySetHasNoPolicies() {
    assertThat(PolicySet.EMPTY.virtualDestinations()).isEmpty();
    assertThat(PolicySet.EMPTY.trafficPolicies()).isEmpty();
    assertThat(PolicySet.of(List.of())).isEqualTo(PolicySet.EMPTY);
  }
}
