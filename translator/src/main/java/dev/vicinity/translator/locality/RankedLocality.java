package dev.vicinity.translator.locality;

import dev.vicinity.api.world.Locality;

/**
 * One locality at one priority rank ({@link EndpointRanks}): the endpoints there become one
 * LocalityLbEndpoints. Ordered by rank, then locality.
 */
public record RankedLocality(int rank, Locality locality) implements Comparable<RankedLocality> {
  @Override
  public int compareTo(RankedLocality other) {
    int byRank = Integer.compare(rank, other.rank);
    return byRank != 0 ? byRank : locality.compareTo(other.locality);
  }
}
