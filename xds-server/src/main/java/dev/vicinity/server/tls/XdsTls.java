package dev.vicinity.server.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on the xDS port from PEM files: the server's certificate chain and PKCS#8 private key and, for
 * mTLS, the CA bundle that client certificates must chain to. The files are read again every
 * {@code reloadInterval}, so a renewed certificate (cert-manager, Vault) takes effect without a restart.
 */
public record XdsTls(Path certificateChain, Path privateKey, Optional<Path> clientCa, Duration reloadInterval) {
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

  public XdsTls {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("TLS reload interval must be positive, was " + reloadInterval);
    }
  }

  /** Server TLS only: clients are not asked for a certificate. */
  public static XdsTls serverOnly(Path certificateChain, Path privateKey) {
    return new XdsTls(certificateChain, privateKey, Optional.empty(), DEFAULT_RELOAD_INTERVAL);
  }

  /** mTLS: clients must present a certificate chaining to {@code clientCa}. */
  public XdsTls verifyingClients(Path clientCa) {
    return new XdsTls(certificateChain, privateKey, Optional.of(clientCa), reloadInterval);
  }

  public XdsTls reloadingEvery(Duration interval) {
    return new XdsTls(certificateChain, privateKey, clientCa, interval);
  }
}
