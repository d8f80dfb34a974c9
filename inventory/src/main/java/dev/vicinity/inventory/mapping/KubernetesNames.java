package dev.vicinity.inventory.mapping;

import java.util.Optional;

/**
 * Kubernetes' name rules (apimachinery's {@code IsDNS1123Label}, {@code IsDNS1123Subdomain},
 * {@code IsDNS1035Label}, {@code IsValidPortName}, {@code IsQualifiedName}, {@code IsValidLabelValue},
 * {@code IsFullyQualifiedDomainName}). Each check returns why a value breaks its rule, or empty.
 */
final class KubernetesNames {
  private static final int LABEL_MAX = 63;
  private static final int SUBDOMAIN_MAX = 253;
  private static final int PORT_NAME_MAX = 15;

  private KubernetesNames() {}

  static Optional<String> dns1123Label(String value) {
    return isLabel(value, 0, value.length())
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
    return isLabel(value, 0, value.length()) && isLowerLetter(value.charAt(0))
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid DNS-1035 label: expected at most 63 lower case letters,"
            + " digits and '-', starting with a letter and ending with a letter or digit");
  }

  /** IANA_SVC_NAME, as a Service's {@code targetPort} by name. */
  static Optional<String> portName(String value) {
    boolean valid = !value.isEmpty() && value.length() <= PORT_NAME_MAX
        && value.chars().allMatch(c -> isLowerLetter((char) c) || isDigit((char) c) || c == '-')
        && value.chars().anyMatch(c -> isLowerLetter((char) c)) && !value.contains("--") && !value.startsWith("-")
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
        && isQualifiedNamePart(name);
    return valid
        ? Optional.empty()
        : Optional.of(quoted(value) + " is not a valid qualified name: expected an optional DNS subdomain and '/',"
            + " then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
  }

  static Optional<String> labelValue(String value) {
    return value.isEmpty() || isQualifiedNamePart(value)
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

  // Scanned by hand rather than by regular expression: every endpoint's nodeName is checked on every look
  // at a live cluster, and a scan is several times faster.

  /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*}, at most 253 characters. */
  private static boolean isSubdomain(String value) {
    if (value.isEmpty() || value.length() > SUBDOMAIN_MAX) {
      return false;
    }
    int start = 0;
    for (int dot = value.indexOf('.'); dot >= 0; dot = value.indexOf('.', start)) {
      if (!isLabelPattern(value, start, dot)) {
        return false;
      }
      start = dot + 1;
    }
    return isLabelPattern(value, start, value.length());
  }

  /** A DNS-1123 label: {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63 characters. */
  private static boolean isLabel(String value, int from, int to) {
    return to - from <= LABEL_MAX && isLabelPattern(value, from, to);
  }

  private static boolean isLabelPattern(String value, int from, int to) {
    if (to <= from || value.charAt(from) == '-' || value.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (!isLowerLetter(c) && !isDigit(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]}, at most 63 characters. */
  private static boolean isQualifiedNamePart(String value) {
    if (value.isEmpty() || value.length() > LABEL_MAX
        || !isAlphanumeric(value.charAt(0)) || !isAlphanumeric(value.charAt(value.length() - 1))) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isAlphanumeric(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return isLowerLetter(c) || (c >= 'A' && c <= 'Z') || isDigit(c);
  }

  private static boolean isLowerLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static String quoted(String value) {
    return "'" + (value.length() <= 80 ? value : value.substring(0, 80) + "...") + "'";
  }
}
