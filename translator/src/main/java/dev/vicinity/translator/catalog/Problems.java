package dev.vicinity.translator.catalog;

import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicyStatus;
import java.util.ArrayList;
import java.util.List;

/** Collects a policy's errors; any failure makes it FAILED, other errors are reported beside ACCEPTED. */
final class Problems {
  private final List<String> errors = new ArrayList<>();
  private boolean failed;

  Problems() {}

  /** What was found so far, kept as it is while this collection goes on. */
  Findings findings() {
    return new Findings(errors, failed);
  }

  /** A collection that goes on from what an earlier one found. */
  static Problems from(Findings findings) {
    Problems problems = new Problems();
    problems.errors.addAll(findings.errors());
    problems.failed = findings.failed();
    return problems;
  }

  /** A policy's errors as found, and whether any failed it. */
  record Findings(List<String> errors, boolean failed) {
    Findings {
      errors = List.copyOf(errors);
    }
  }

  void error(String message) {
    errors.add(message);
  }

  void fail(String message) {
    errors.add(message);
    failed = true;
  }

  boolean failed() {
    return failed;
  }

  PolicyStatus status(PolicyKind kind, ObjectRef ref, long generation, List<ClusterObjectRef> selected, List<String> appliedTo) {
    return new PolicyStatus(kind, ref, generation, failed ? PolicyStatus.State.FAILED : PolicyStatus.State.ACCEPTED,
        errors, selected, appliedTo);
  }
}
