package dev.vicinity.api.policy;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * What became of a policy, as Gloo Mesh reports it in {@code status}: ACCEPTED when it is in force,
 * FAILED when it is valid but cannot be applied (nothing selected, a reference that does not exist, a
 * hostname already taken), with the reasons; the services it selected; the hosts it applies to.
 */
public record PolicyStatus(
    PolicyKind kind,
    ObjectRef ref,
    long observedGeneration,
    State state,
    List<String> errors,
    List<ClusterObjectRef> selectedDestinations,
    List<String> appliedTo) {
  public PolicyStatus {
    errors = ImmutableList.copyOf(errors);
    selectedDestinations = ImmutableList.copyOf(selectedDestinations);
    appliedTo = ImmutableList.copyOf(appliedTo);
  }

  /** Gloo Mesh's approval states. */
  public enum State {
    PENDING,
    ACCEPTED,
    INVALID,
    FAILED
  }
}
