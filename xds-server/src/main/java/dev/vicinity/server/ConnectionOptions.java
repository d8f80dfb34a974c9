package dev.vicinity.server;

import dev.vicinity.api.config.ServerSettings;
import java.time.Duration;

/**
 * How the xDS port treats its connections and streams: how many streams may be starting at once (and for
 * how long each may hold its place), keepalive pings, the age after which a connection is closed so that
 * proxies rebalance across replicas, the period over which open streams are ended on shutdown, and how
 * many node groups streams may make (a stream that would make one more is refused). A zero
 * {@code maxConnectionAge} means connections are never closed for their age.
 */
public record ConnectionOptions(
    int maxConcurrentStreamStarts,
    Duration streamStartTimeout,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    Duration drainPeriod,
    int maxNodeGroups) {

  public ConnectionOptions {
    if (maxConcurrentStreamStarts < 1) {
      throw new IllegalArgumentException("maxConcurrentStreamStarts must be at least 1, was " + maxConcurrentStreamStarts);
    }
    if (maxNodeGroups < 1) {
      throw new IllegalArgumentException("maxNodeGroups must be at least 1, was " + maxNodeGroups);
    }
  }

  /** The settings of {@code vicinity.yaml}'s {@code server} section (its defaults where it says nothing). */
  public static ConnectionOptions from(ServerSettings server) {
    return new ConnectionOptions(
        server.maxConcurrentStreamStarts(),
        server.streamStartTimeout(),
        server.keepAliveTime(),
        server.keepAliveTimeout(),
        server.maxConnectionAge(),
        server.maxConnectionAgeGrace(),
        server.drainPeriod(),
        server.maxNodeGroups());
  }

  public ConnectionOptions withMaxConcurrentStreamStarts(int starts, Duration timeout) {
    return new ConnectionOptions(starts, timeout, keepAliveTime, keepAliveTimeout, maxConnectionAge, maxConnectionAgeGrace,
        drainPeriod, maxNodeGroups);
  }

  public ConnectionOptions withMaxConnectionAge(Duration age, Duration grace) {
    return new ConnectionOptions(maxConcurrentStreamStarts, streamStartTimeout, keepAliveTime, keepAliveTimeout, age, grace,
        drainPeriod, maxNodeGroups);
  }

  public ConnectionOptions withDrainPeriod(Duration period) {
    return new ConnectionOptions(maxConcurrentStreamStarts, streamStartTimeout, keepAliveTime, keepAliveTimeout,
        maxConnectionAge, maxConnectionAgeGrace, period, maxNodeGroups);
  }

  public ConnectionOptions withMaxNodeGroups(int groups) {
    return new ConnectionOptions(maxConcurrentStreamStarts, streamStartTimeout, keepAliveTime, keepAliveTimeout,
        maxConnectionAge, maxConnectionAgeGrace, drainPeriod, groups);
  }
}
