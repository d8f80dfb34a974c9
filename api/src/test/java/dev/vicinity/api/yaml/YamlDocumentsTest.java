package dev.vicinity.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import dev.vicinity.api.TestResources;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlDocumentsTest {

  private static int line(SourceDocument document, String pointer) {
    return document.fieldLines().get(JsonPointer.compile(pointer));
  }

  @Test
  void singleDocumentRecordsTheLineOfEveryField() {
    String yaml = """
        apiVersion: v1
        kind: Thing
        spec:
          port:
            number: 9080
          selectors:
          - labels:
              app: reviews
          - name: second
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("thing.yaml", yaml);

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.documents()).hasSize(1);
    SourceDocument document = parsed.documents().get(0);
    assertThat(document.source()).isEqualTo("thing.yaml");
    assertThat(document.line()).isEqualTo(1);
    assertThat(line(document, "")).isEqualTo(1);
    assertThat(line(document, "/apiVersion")).isEqualTo(1);
    assertThat(line(document, "/kind")).isEqualTo(2);
    assertThat(line(document, "/spec")).isEqualTo(3);
    assertThat(line(document, "/spec/port")).isEqualTo(4);
    assertThat(line(document, "/spec/port/number")).isEqualTo(5);
    assertThat(line(document, "/spec/selectors")).isEqualTo(6);
    assertThat(line(document, "/spec/selectors/0")).isEqualTo(7);
    assertThat(line(document, "/spec/selectors/0/labels")).isEqualTo(7);
    assertThat(line(document, "/spec/selectors/0/labels/app")).isEqualTo(8);
    assertThat(line(document, "/spec/selectors/1")).isEqualTo(9);
    assertThat(line(document, "/spec/selectors/1/name")).isEqualTo(9);
    assertThat(document.fieldLines()).hasSize(12);
    assertThat(document.tree().at("/spec/selectors/0/labels/app").asText()).isEqualTo("reviews");
    assertThat(document.tree().at("/spec/port/number").asInt()).isEqualTo(9080);
  }

  @Test
  void multiDocumentTextIsSplitIntoDocumentsWithTheirStartLines() {
    String yaml = """
        first: 1
        ---
        second: 2
        nested:
          value: x
        ---
        # a comment before the third document
        third: 3
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("multi.yaml", yaml);

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.documents()).extracting(SourceDocument::line).containsExactly(1, 3, 8);
    assertThat(parsed.documents()).extracting(d -> d.tree().fieldNames().next())
        .containsExactly("first", "second", "third");
    SourceDocument second = parsed.documents().get(1);
    assertThat(line(second, "/nested/value")).isEqualTo(5);
    assertThat(second.fieldLines()).doesNotContainKey(JsonPointer.compile("/first"));
    assertThat(line(parsed.documents().get(2), "/third")).isEqualTo(8);
  }

  @Test
  void leadingDocumentSeparatorAddsNoDocument() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("lead.yaml", "---\nname: a\n");

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.documents()).singleElement().satisfies(d -> {
      assertThat(d.line()).isEqualTo(2);
      assertThat(d.tree().get("name").asText()).isEqualTo("a");
    });
  }

  @Test
  void emptyTextHasNoDocumentsAndNoErrors() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("empty.yaml", "");

    assertThat(parsed.documents()).isEmpty();
    assertThat(parsed.errors()).isEmpty();
  }

  @Test
  void commentOnlyTextHasNoDocumentsAndNoErrors() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("comments.yaml", "# nothing here\n# at all\n");

    assertThat(parsed.documents()).isEmpty();
    assertThat(parsed.errors()).isEmpty();
  }

  @Test
  void emptyDocumentBetweenSeparatorsIsSkipped() {
    String yaml = """
        first: 1
        ---
        ---
        second: 2
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("gap.yaml", yaml);

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.documents()).extracting(SourceDocument::line).containsExactly(1, 4);
  }

  @Test
  void trailingDocumentSeparatorAddsNoDocument() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("trailing.yaml", "first: 1\n---\n");

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.documents()).extracting(SourceDocument::line).containsExactly(1);
  }

  @Test
  void syntaxErrorKeepsTheDocumentsBeforeIt() {
    String yaml = """
        first: 1
        ---
        second: 2


          bad: 3
        ---
        third: 3
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("broken.yaml", yaml);

    assertThat(parsed.documents()).singleElement()
        .satisfies(d -> assertThat(d.tree().get("first").asInt()).isEqualTo(1));
    assertThat(parsed.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo("broken.yaml");
      assertThat(error.line()).isEqualTo(6);
      assertThat(error.fieldPath()).isEmpty();
      assertThat(error.message()).startsWith("not valid YAML: mapping values are not allowed here");
    });
  }

  @Test
  void syntaxErrorInTheFirstDocumentLeavesNoDocuments() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("quote.yaml", "name: 'unterminated\nother: 2\n");

    assertThat(parsed.documents()).isEmpty();
    assertThat(parsed.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(1);
      assertThat(error.message()).startsWith("not valid YAML: while scanning a quoted scalar");
    });
  }

  @Test
  void duplicateKeyIsAnErrorAtTheLineOfTheDuplicate() {
    String yaml = """
        spec:
          hostname: a
          port: 1
          hostname: b
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("dup.yaml", yaml);

    assertThat(parsed.documents()).isEmpty();
    assertThat(parsed.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(4);
      assertThat(error.message()).isEqualTo("not valid YAML: Duplicate field 'hostname'");
    });
  }

  @Test
  void tabIndentationIsReportedAtTheLineOfTheTab() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("tab.yaml", "a: 1\n\tb: 2\n");

    assertThat(parsed.errors()).singleElement().satisfies(error -> {
      assertThat(error.message()).contains("TAB");
      assertThat(error.line()).isEqualTo(2);
    });
  }

  @Test
  void scalarsKeepTheirTypes() {
    String yaml = """
        int: 9080
        long: 99999999999
        big: 123456789012345678901234567890
        float: 2.5
        enabled: true
        disabled: false
        text: reviews
        quoted: "9080"
        tilde: ~
        explicitNull: null
        """;

    SourceDocument document = YamlDocuments.parse("types.yaml", yaml).documents().get(0);

    assertThat(document.tree().get("int").isInt()).isTrue();
    assertThat(document.tree().get("int").intValue()).isEqualTo(9080);
    assertThat(document.tree().get("long").isLong()).isTrue();
    assertThat(document.tree().get("long").longValue()).isEqualTo(99_999_999_999L);
    assertThat(document.tree().get("big").isBigInteger()).isTrue();
    assertThat(document.tree().get("big").bigIntegerValue())
        .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    assertThat(document.tree().get("float").isFloatingPointNumber()).isTrue();
    assertThat(document.tree().get("float").doubleValue()).isEqualTo(2.5);
    assertThat(document.tree().get("enabled").isBoolean()).isTrue();
    assertThat(document.tree().get("enabled").booleanValue()).isTrue();
    assertThat(document.tree().get("disabled").booleanValue()).isFalse();
    assertThat(document.tree().get("text").isTextual()).isTrue();
    assertThat(document.tree().get("quoted").isTextual()).isTrue();
    assertThat(document.tree().get("quoted").asText()).isEqualTo("9080");
    assertThat(document.tree().get("tilde").isNull()).isTrue();
    assertThat(document.tree().get("explicitNull").isNull()).isTrue();
  }

  @Test
  void seedDocumentsParseWithFieldLines() {
    YamlDocuments.Parsed virtualDestination =
        YamlDocuments.parse("bookinfo-global.yaml", TestResources.read("seed/bookinfo-global.yaml"));
    YamlDocuments.Parsed trafficPolicy =
        YamlDocuments.parse("reviews-shift-failover.yaml", TestResources.read("seed/reviews-shift-failover.yaml"));

    assertThat(virtualDestination.errors()).isEmpty();
    assertThat(trafficPolicy.errors()).isEmpty();
    SourceDocument vd = virtualDestination.documents().get(0);
    assertThat(line(vd, "/spec/hostname")).isEqualTo(7);
    assertThat(line(vd, "/spec/localized/outlierDetection/interval")).isEqualTo(15);
    assertThat(line(vd, "/spec/localized/destinationSelectors/0")).isEqualTo(18);
    assertThat(line(vd, "/spec/localized/destinationSelectors/0/kubeServiceMatcher/labels/app")).isEqualTo(20);
    assertThat(line(vd, "/spec/virtualMesh/namespace")).isEqualTo(23);
    SourceDocument tp = trafficPolicy.documents().get(0);
    assertThat(line(tp, "/spec/destinationSelector/0/kubeServiceRefs/services/0/name")).isEqualTo(11);
    assertThat(line(tp, "/spec/policy/trafficShift/destinations/0/virtualDestination/name")).isEqualTo(17);
  }

  @Test
  void parsedListsAreImmutable() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("a.yaml", "a: 1\n");

    assertThat(parsed.documents()).isUnmodifiable();
    assertThat(parsed.errors()).isUnmodifiable();
  }

  @Test
  void sourceDocumentLineOfFallsBackToTheClosestAncestorWithALine() {
    String yaml = """
        kind: Thing
        metadata:
          name: a
        spec:
          port:
            number: 1
        """;
    SourceDocument document = YamlDocuments.parse("a.yaml", yaml).documents().get(0);

    assertThat(document.lineOf(JsonPointer.compile("/spec/port/number"))).isEqualTo(6);
    assertThat(document.lineOf(JsonPointer.compile("/spec/port/protocol"))).isEqualTo(5);
    assertThat(document.lineOf(JsonPointer.compile("/spec/missing/deeper/still"))).isEqualTo(4);
    assertThat(document.lineOf(JsonPointer.compile("/status"))).isEqualTo(1);
  }

  @Test
  void sourceDocumentErrorCarriesSourceLineAndFieldPath() {
    String yaml = """
        ---
        kind: Thing
        metadata:
          name: a
          namespace: ns
        spec:
          selectors:
          - labels: {}
        """;
    SourceDocument document = YamlDocuments.parse("a.yaml", yaml).documents().get(0);

    assertThat(document.error(JsonPointer.compile("/spec/selectors/0/labels"), "bad"))
        .isEqualTo(new ConfigError("a.yaml", 8, "spec.selectors[0].labels", "bad"));
    assertThat(document.error("whole document")).isEqualTo(new ConfigError("a.yaml", 2, "", "whole document"));
    assertThat(document.describe()).isEqualTo("Thing ns/a");
    assertThat(document.text("kind")).isEqualTo("Thing");
    assertThat(document.text("metadata")).isEmpty();
    assertThat(document.text("absent")).isEmpty();
  }

  @Test
  void describeLeavesOutAnAbsentNamespace() {
    SourceDocument document =
        YamlDocuments.parse("a.yaml", "kind: Thing\nmetadata:\n  name: a\n").documents().get(0);

    assertThat(document.describe()).isEqualTo("Thing a");
  }

  @Test
  void documentsOfDifferentFilesKeepTheirSource() {
    List<SourceDocument> a = YamlDocuments.parse("a.yaml", "x: 1\n").documents();
    List<SourceDocument> b = YamlDocuments.parse("dir/b.yaml", "x: 1\n").documents();

    assertThat(a).extracting(SourceDocument::source).containsExactly("a.yaml");
    assertThat(b).extracting(SourceDocument::source).containsExactly("dir/b.yaml");
  }
}
