package dev.vicinity.api.world;

import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.yaml.ConfigError;
import java.util.List;

/** Everything translation needs, read at one moment: the world, the policies, and what was wrong. */
public record Inputs(World world, PolicySet policies, List<ConfigError> errors) {
  public Inputs {
    errors = errors.stream().sorted().toList();
  }
}
