package dev.vicinity.server.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.Closeable;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The xDS port's TLS credentials, backed by gRPC's reloading key and trust managers: the PEM files are
 * read at start (a bad file fails the start with its path) and again on every reload tick, and new
 * handshakes use what was read last.
 */
public final class ServerTls implements AutoCloseable {
  private final ServerCredentials credentials;
  private final XdsTls settings;
  private final ScheduledExecutorService reloader;
  private final List<Closeable> reloads;

  private ServerTls(ServerCredentials credentials, XdsTls settings, ScheduledExecutorService reloader, List<Closeable> reloads) {
    this.credentials = credentials;
    this.settings = settings;
    this.reloader = reloader;
    this.reloads = reloads;
  }

  public static ServerTls start(XdsTls settings) throws IOException {
    ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "vicinity-tls-reload");
      thread.setDaemon(true);
      return thread;
    });
    List<Closeable> reloads = new ArrayList<>();
    long period = settings.reloadInterval().toMillis();
    try {
      AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
      reloads.add(keys.updateIdentityCredentialsFromFile(settings.privateKey().toFile(), settings.certificateChain().toFile(),
          period, TimeUnit.MILLISECONDS, reloader));
      TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder().keyManager(keys);
      if (settings.clientCa().isPresent()) {
        AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build();
        reloads.add(trust.updateTrustCredentialsFromFile(settings.clientCa().get().toFile(), period, TimeUnit.MILLISECONDS, reloader));
        credentials.trustManager(trust).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return new ServerTls(credentials.build(), settings, reloader, reloads);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      reloader.shutdownNow();
      throw new IOException("cannot read the xDS TLS files (certificate " + settings.certificateChain() + ", key "
          + settings.privateKey() + settings.clientCa().map(ca -> ", client CA " + ca).orElse("")
          + "; PEM, PKCS#8 key expected): " + e.getMessage(), e);
    }
  }

  public ServerCredentials credentials() {
    return credentials;
  }

  public String describe() {
    return settings.clientCa().isPresent() ? ", mTLS" : ", TLS";
  }

  @Override
  public void close() {
    for (Closeable reload : reloads) {
      try {
        reload.close();
      } catch (IOException e) {
        // Stopping a scheduled reload cannot fail in a way worth reporting at shutdown.
      }
    }
    reloader.shutdownNow();
  }
}
