package dev.vicinity.e2e;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A reviews backend listening on its own loopback address, as a pod has its own IP. It can be stopped
 * (stops listening, like the seed's {@code sleep 20h} patch) and started again on the same address.
 */
public final class Backend implements AutoCloseable {
  private final String version;
  private final InetSocketAddress address;
  private Server server;

  public Backend(String version, InetSocketAddress address) {
    this.version = version;
    this.address = address;
  }

  public String version() {
    return version;
  }

  public synchronized Backend start() {
    try {
      server = NettyServerBuilder.forAddress(address).addService(VersionService.answering(version)).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
    return this;
  }

  public synchronized void stop() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
