package dev.vicinity.server;

import dev.vicinity.inventory.files.ConfigDirectories;
import dev.vicinity.server.tls.XdsTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mTLS on the xDS port, with certificates made here, and a certificate renewed while serving. */
class XdsTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicLong SERIALS = new AtomicLong(1);

  @TempDir Path temp;
  private VicinityServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A certificate and its key; a CA when {@code issuer} is null. */
  private record Issued(KeyPair keys, X509Certificate certificate) {}

  private static Issued issue(String name, Issued issuer, GeneralNames addresses) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        issuer == null ? subject : new X500Name(issuer.certificate().getSubjectX500Principal().getName()),
        BigInteger.valueOf(SERIALS.getAndIncrement()), Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)),
        subject, keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(issuer == null));
    if (addresses != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, addresses);
    }
    KeyPair signer = issuer == null ? keys : issuer.keys();
    X509Certificate certificate = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    return new Issued(keys, certificate);
  }

  private static Issued serverCertificate(Issued ca) throws Exception {
    return issue("vicinity", ca, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
  }

  private Path pem(String file, String type, byte[] der) throws IOException {
    Path path = temp.resolve(file);
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(path, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    return path;
  }

  private Path certificate(String file, Issued issued) throws Exception {
    return pem(file, "CERTIFICATE", issued.certificate().getEncoded());
  }

  private Path key(String file, Issued issued) throws IOException {
    return pem(file, "PRIVATE KEY", issued.keys().getPrivate().getEncoded()); // Java encodes private keys as PKCS#8
  }

  private void start(XdsTls tls) throws IOException {
    server = VicinityServer.start(TestServerOptions.onFreePorts(ConfigDirectories.bookinfoExample()).withTls(tls));
  }

  /** Whether one ADS request over {@code credentials} is answered. */
  private boolean answered(ChannelCredentials credentials) throws Exception {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.xdsPort(), credentials)
        .overrideAuthority("localhost").build();
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    try {
      StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
          .streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
              answer.complete(true);
            }

            @Override
            public void onError(Throwable t) {
              answer.complete(false);
            }

            @Override
            public void onCompleted() {
              answer.complete(false);
            }
          });
      requests.onNext(DiscoveryRequest.newBuilder()
          .setNode(AdsTestClient.grpcNode("p", "mgmt-cluster", "us-east-1", "us-east-1a"))
          .setTypeUrl(AdsTestClient.CLUSTER).build());
      return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      channel.shutdownNow();
    }
  }

  private ChannelCredentials trusting(Path ca) throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
  }

  @Test
  void serverTlsServesClientsThatTrustItsCaAndIsRenewedWithoutRestart() throws Exception {
    Issued firstCa = issue("first-ca", null, null);
    Issued secondCa = issue("second-ca", null, null);
    Issued first = serverCertificate(firstCa);
    Path chain = certificate("server.pem", first);
    Path key = key("server-key.pem", first);
    start(XdsTls.serverOnly(chain, key).reloadingEvery(Duration.ofMillis(200)));
    Path firstCaFile = certificate("first-ca.pem", firstCa);
    Path secondCaFile = certificate("second-ca.pem", secondCa);

    assertThat(answered(trusting(firstCaFile))).isTrue();
    assertThat(answered(trusting(secondCaFile))).isFalse();

    Issued renewed = serverCertificate(secondCa);
    key("server-key.pem", renewed);
    certificate("server.pem", renewed);

    await().atMost(WAIT).until(() -> answered(trusting(secondCaFile)));
    assertThat(answered(trusting(firstCaFile))).isFalse();
  }

  @Test
  void mutualTlsRefusesClientsWithoutACertificateFromTheClientCa() throws Exception {
    Issued ca = issue("ca", null, null);
    Issued serverIssued = serverCertificate(ca);
    Issued client = issue("productpage", ca, null);
    Issued stranger = issue("stranger", issue("other-ca", null, null), null);
    Path caFile = certificate("ca.pem", ca);
    start(XdsTls.serverOnly(certificate("server.pem", serverIssued), key("server-key.pem", serverIssued)).verifyingClients(caFile));

    ChannelCredentials withClientCertificate = TlsChannelCredentials.newBuilder().trustManager(caFile.toFile())
        .keyManager(certificate("client.pem", client).toFile(), key("client-key.pem", client).toFile()).build();
    ChannelCredentials withStrangerCertificate = TlsChannelCredentials.newBuilder().trustManager(caFile.toFile())
        .keyManager(certificate("stranger.pem", stranger).toFile(), key("stranger-key.pem", stranger).toFile()).build();

    assertThat(answered(withClientCertificate)).isTrue();
    assertThat(answered(trusting(caFile))).isFalse();
    assertThat(answered(withStrangerCertificate)).isFalse();
  }

  @Test
  void aMissingKeyFileFailsTheStartNamingIt() throws Exception {
    Issued ca = issue("ca", null, null);
    Path chain = certificate("server.pem", serverCertificate(ca));
    Path missing = temp.resolve("nowhere-key.pem");

    assertThatThrownBy(() -> start(XdsTls.serverOnly(chain, missing)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nowhere-key.pem");
  }
}
