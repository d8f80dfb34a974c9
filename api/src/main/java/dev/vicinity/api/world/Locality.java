package dev.vicinity.api.world;

import java.util.Objects;

/**
 * Where a workload runs, as Envoy's {@code config.core.v3.Locality} names it. Empty strings mean "not
 * known"; a locality with an empty region is {@link #UNKNOWN}.
 */
public record Locality(String region, String zone, String subZone) implements Comparable<Locality> {
  public static final Locality UNKNOWN = new Locality("", "", "");

  public Locality {
    region = Objects.requireNonNullElse(region, "");
    zone = Objects.requireNonNullElse(zone, "");
    subZone = Objects.requireNonNullElse(subZone, "");
  }

  public static Locality of(String region, String zone) {
    return new Locality(region, zone, "");
  }

  /**
   * Parses {@code region/zone[/subzone]}, the form used on command lines and in Istio's
   * {@code localityLbSetting}.
   */
  public static Locality parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length < 1 || parts.length > 3 || parts[0].isBlank()) {
      throw new IllegalArgumentException(
          "locality '" + text + "' is not of the form region/zone[/subzone]");
    }
    return new Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
  }

  public boolean isUnknown() {
    return region.isEmpty();
  }

  /** Region, then zone, then sub-zone. */
  @Override
  public int compareTo(Locality other) {
    if (this == other) {
      return 0;
    }
    int order = region.compareTo(other.region);
    if (order != 0) {
      return order;
    }
    order = zone.compareTo(other.zone);
    return order != 0 ? order : subZone.compareTo(other.subZone);
  }

  @Override
  public String toString() {
    if (isUnknown()) {
      return "<unknown>";
    }
    StringBuilder text = new StringBuilder(region);
    if (!zone.isEmpty() || !subZone.isEmpty()) {
      text.append('/').append(zone);
    }
    if (!subZone.isEmpty()) {
      text.append('/').append(subZone);
    }
    return text.toString();
  }
}
