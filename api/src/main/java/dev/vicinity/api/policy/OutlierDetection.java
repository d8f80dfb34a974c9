package dev.vicinity.api.policy;

import java.time.Duration;

/**
 * Gloo Mesh's outlier detection. Absent fields take Envoy's defaults when translated: 5 consecutive
 * errors, 10s interval, 30s base ejection time, 10% max ejection.
 */
public record OutlierDetection(
    Integer consecutiveErrors, Duration interval, Duration baseEjectionTime, Integer maxEjectionPercent) {}
