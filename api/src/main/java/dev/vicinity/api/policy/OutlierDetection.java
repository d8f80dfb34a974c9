package dev.vicinity.api.policy;

import java.time.Duration;

/**
 * Gloo Mesh's outlier detection. Absent fields (and 0) take Gloo Mesh's defaults when translated: 5
 * consecutive errors, 10s interval, 30s base ejection time, 100% max ejection.
 */
public record OutlierDetection(
    Integer consecutiveErrors, Duration interval, Duration baseEjectionTime, Integer maxEjectionPercent) {}
