package dev.vicinity.translator;

/**
 * Settings of the translation that are the operator's choice, not the world's.
 *
 * @param envoyListenerAddress the address Envoy clients' outbound listeners bind
 */
public record TranslationOptions(String envoyListenerAddress) {
  public static final TranslationOptions DEFAULTS = new TranslationOptions("0.0.0.0");

  public TranslationOptions {
    if (envoyListenerAddress == null || envoyListenerAddress.isBlank()) {
      throw new IllegalArgumentException("envoyListenerAddress must not be blank");
    }
  }
}
