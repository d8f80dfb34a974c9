package dev.vicinity.discovery;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' name rules (apimachinery's {@code IsDNS1123Label}, {@code IsDNS1123Subdomain},
 * {@code IsDNS1035Label}, {@code IsValidPortName}, {@code IsQualifiedName}, {@code IsValidLabelValue},
 * {@code IsFullyQualifiedDomainName}). Each check returns why a value breaks its rule, or empty.
 */
final class KubernetesNames {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern PORT_NAME = Pattern.compile("[-a-z0-9]+");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
  private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final int LABEL_MAX = 63;
  private static final int SUBDOMAIN_MAX = 253;
  private static final int PORT_NAME_MAX = 15;

  private KubernetesNames() {}

  static Optional<String> dns1123Label(String value) {
    return value.length() <= LABEL_MAX && DNS1123_LABEL.matcher(value).matches()
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid DNS-1123 label: expected at most 63 lower case letters,"
            + " digits and '-', starting and ending with a letter or digit");
  }

  static Optional<String> dns1123Subdomain(String value) {
    return isSubdomain(value)
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid DNS-1123 subdomain: expected at most 253 lower case letters,"
            + " digits, '-' and '.', starting and ending with a letter or digit");
  }

  static Optional<String> dns1035Label(String value) {
    return value.length() <= LABEL_MAX && DNS1035_LABEL.matcher(value).matches()
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid DNS-1035 label: expected at most 63 lower case letters,"
            + " digits and '-', starting with a letter and ending with a letter or digit");
  }

  /** IANA_SVC_NAME, as a Service's {@code targetPort} by name. */
  static Optional<String> portName(String value) {
    boolean valid = !value.isEmpty() && value.length() <= PORT_NAME_MAX && PORT_NAME.matcher(value).matches()
        && HAS_LETTER.matcher(value).matches() && !value.contains("--") && !value.startsWith("-")
        && !value.endsWith("-");
    return valid
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid port name (IANA_SVC_NAME): expected at most 15 lower case"
            + " letters, digits and '-', with at least one letter, no '--', not starting or ending with '-'");
  }

  /** A label key or an {@code appProtocol}: an optional DNS subdomain prefix and '/', then a name. */
  static Optional<String> qualifiedName(String value) {
    int slash = value.indexOf('/');
    String prefix = slash < 0 ? "" : value.substring(0, slash);
    String name = slash < 0 ? value : value.substring(slash + 1);
    boolean valid = (slash < 0 || isSubdomain(prefix))
        && name.length() <= LABEL_MAX && QUALIFIED_NAME_PART.matcher(name).matches();
    return valid
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid qualified name: expected an optional DNS subdomain and '/',"
            + " then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
  }

  static Optional<String> labelValue(String value) {
    return value.isEmpty() || (value.length() <= LABEL_MAX && QUALIFIED_NAME_PART.matcher(value).matches())
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid label value: expected at most 63 letters, digits, '-', '_'"
            + " and '.', starting and ending with a letter or digit");
  }

  /** A DNS subdomain of at least two labels; one trailing dot is allowed. */
  static Optional<String> fullyQualifiedDomainName(String value) {
    String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    return isSubdomain(name) && name.contains(".")
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid fully qualified domain name: expected a DNS-1123 subdomain"
            + " of at least two labels, such as reviews.example.com");
  }

  private static boolean isSubdomain(String value) {
    return value.length() <= SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.matcher(value).matches();
  }

  static String quoted(String value) {
    return "'" + (value.length() <= 80 ? value : value.substring(0, 80) + "...") + "'";
  }
}
