package dev.vicinity.api.policy;

/** A locality as Gloo Mesh's failover directives write it; empty fields match anything. */
public record LocalityMatch(String region, String zone, String subZone) {
  public LocalityMatch {
    region = Nulls.text(region);
    zone = Nulls.text(zone);
    subZone = Nulls.text(subZone);
  }

  /** Empty fields match anything. */
  public boolean matches(dev.vicinity.api.world.Locality locality) {
    return (region.isEmpty() || region.equals(locality.region()))
        && (zone.isEmpty() || zone.equals(locality.zone()))
        && (subZone.isEmpty() || subZone.equals(locality.subZone()));
  }
}
