package dev.vicinity.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import dev.vicinity.api.TestResources;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
      assertThat(error.message()).isEqualTo("not valid YAML: while scanning a quoted scalar: found unexpected end of stream");
    });
  }

  @Test
  void badIndentationIsReportedAtTheBadLineNotAtTheStartOfTheMapping() {
    String yaml = """
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
            type: ClusterIP
           ports: []
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("indent.yaml", yaml);

    assertThat(parsed.errors()).extracting(ConfigError::toString).containsExactly(
        "indent.yaml:8: not valid YAML: expected <block end>, but found '<block mapping start>' (check the indentation of this line)");
  }

  @Test
  void unterminatedQuoteIsReportedAtTheLineWhereTheQuoteOpens() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("quote.yaml", "a: 1\nb: 2\nc: \"unterminated\nd: 4\ne: 5\n");

    assertThat(parsed.errors()).extracting(ConfigError::toString).containsExactly(
        "quote.yaml:3: not valid YAML: while scanning a quoted scalar: found unexpected end of stream");
  }

  @Test
  void tabIndentationDeepInTheFileIsReportedOnceAtItsLine() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("tab.yaml", "a: 1\nb:\n  c: 2\n  d: 3\n\te: 4\n");

    assertThat(parsed.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(5);
      assertThat(error.message()).startsWith("not valid YAML: found character").contains("TAB").doesNotContain("\n");
    });
  }

  @Test
  void strayColonIsReportedAtItsLine() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("colon.yaml", "a: 1\nb: 2\n: 3\nd: 4\n");

    assertThat(parsed.errors()).extracting(ConfigError::toString).containsExactly(
        "colon.yaml:3: not valid YAML: expected <block end>, but found ':' (check the indentation of this line)");
  }

  @Test
  void syntaxErrorMessagesCarryNoSourceSnippet() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("colon.yaml", "a: 1\nb: c: d\n");

    assertThat(parsed.errors()).extracting(ConfigError::toString)
        .containsExactly("colon.yaml:2: not valid YAML: mapping values are not allowed here");
  }

  @Test
  void anAliasIsRefusedInsteadOfBeingReadAsTheAnchorName() {
    String yaml = """
        kind: DestinationRule
        spec:
          host: *svc
        ---
        kind: Other
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("alias.yaml", yaml);

    assertThat(parsed.errors()).extracting(ConfigError::toString).containsExactly(
        "alias.yaml:3: spec.host: YAML aliases are not supported (*svc); write the value out in full");
    assertThat(parsed.documents()).extracting(d -> d.text("kind")).containsExactly("Other");
  }

  @Test
  void anchorsAndMergeKeysAreRefused() {
    String yaml = """
        base: &defaults
          port: 80
        name: &n x
        merged:
          <<: *defaults
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("anchor.yaml", yaml);

    assertThat(parsed.documents()).isEmpty();
    assertThat(parsed.errors()).extracting(ConfigError::toString).containsExactly(
        "anchor.yaml:1: base: YAML anchors are not supported (&defaults); write the value out in full where it is used",
        "anchor.yaml:3: name: YAML anchors are not supported (&n); write the value out in full where it is used",
        "anchor.yaml:5: merged.<<: YAML aliases are not supported (*defaults); write the value out in full");
  }

  @Test
  void aBinaryTagIsAnErrorAtItsLineAndTheOtherDocumentsStillCount() {
    String yaml = """
        first: 1
        ---
        data: !!binary aGVsbG8=
        ---
        third: 3
        """;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("binary.yaml", yaml);

    assertThat(parsed.errors()).extracting(ConfigError::toString).containsExactly(
        "binary.yaml:3: data: YAML tags are not supported (!!binary); write the value without a tag");
    assertThat(parsed.documents()).extracting(SourceDocument::line).containsExactly(1, 5);
  }

  @Test
  void customAndStandardTagsAreRefusedOnValuesAndCollections() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("tags.yaml", "a: !!str 5\nb: !thing {x: 1}\n");

    assertThat(parsed.errors()).extracting(ConfigError::message).containsExactly(
        "YAML tags are not supported (!!str); write the value without a tag",
        "YAML tags are not supported (!thing); write the value without a tag");
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: quadratic reading took minutes
  void aLongOneLineValueWithinTheLimitIsReadInOnePass() {
    int length = 8_000_000;
    for (String quote : List.of("", "\"", "'")) {
      String yaml = "key: " + quote + "v".repeat(length) + quote + "\nnext: 2\n";

      YamlDocuments.Parsed parsed = YamlDocuments.parse("long.yaml", yaml);

      assertThat(parsed.errors()).isEmpty();
      assertThat(parsed.documents()).singleElement().satisfies(d -> {
        assertThat(d.tree().get("key").asText()).hasSize(length);
        assertThat(line(d, "/next")).isEqualTo(2);
      });
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, as above
  void aValueLongerThanTheLimitIsRefusedWithItsLineAndTheLimit() {
    String yaml = "first: 1\n---\nkind: Thing\nkey: " + "v".repeat(50_000_000) + "\n";

    YamlDocuments.Parsed parsed = YamlDocuments.parse("huge.yaml", yaml);

    assertThat(parsed.documents()).extracting(SourceDocument::line).containsExactly(1);
    assertThat(parsed.errors()).extracting(ConfigError::toString).containsExactly(
        "huge.yaml:4: not valid YAML: a value, key or comment longer than 8388608 characters");
  }

  @Test
  void aValueOverTheLimitSplitBySpacesIsRefusedToo() {
    YamlLimits small = new YamlLimits(1 << 20, 1 << 20, 100, 10);

    YamlDocuments.Parsed parsed = YamlDocuments.parse("spaced.yaml", "a: 1\nkey: \"" + "ab ".repeat(50) + "\"\n", small);

    assertThat(parsed.errors()).extracting(ConfigError::toString)
        .containsExactly("spaced.yaml:2: key: a value longer than the limit of 100 characters");
  }

  @Test
  void aFourMegabyteListDocumentAsKubectlPrintsItIsRead() {
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
    int items = 0;
    while (yaml.length() < 4 * 1024 * 1024) {
      yaml.append("- apiVersion: v1\n  kind: Service\n  metadata:\n    name: service-").append(items++)
          .append("\n    namespace: default\n  spec:\n    ports:\n    - port: 80\n      protocol: TCP\n");
    }

    int services = items;

    YamlDocuments.Parsed parsed = YamlDocuments.parse("dump.yaml", yaml.toString());

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.documents()).singleElement().satisfies(d -> assertThat(d.tree().get("items")).hasSize(services));
  }

  @Test
  void aDocumentLongerThanTheLimitIsRefused() {
    YamlLimits small = new YamlLimits(1 << 20, 1000, 100, 10);

    YamlDocuments.Parsed parsed = YamlDocuments.parse("long.yaml", "items:\n" + "- name: abcdefgh\n".repeat(100), small);

    assertThat(parsed.documents()).isEmpty();
    assertThat(parsed.errors()).extracting(ConfigError::message)
        .containsExactly("not valid YAML: a YAML document longer than the limit of 1000 characters");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedAndTheDocumentsBeforeItKept() {
    String yaml = "ok: 1\n---\ndeep: " + "[".repeat(150) + "]".repeat(150) + "\n";

    YamlDocuments.Parsed parsed = YamlDocuments.parse("deep.yaml", yaml);

    assertThat(parsed.documents()).extracting(SourceDocument::line).containsExactly(1);
    assertThat(parsed.errors()).extracting(ConfigError::toString)
        .containsExactly("deep.yaml:3: nested deeper than the limit of 100 levels");
  }

  @Test
  void aControlCharacterIsReportedAtItsLine() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("control.yaml", "a: 1\nb: 2\nc: x\u0001y\n");

    assertThat(parsed.errors()).extracting(ConfigError::toString)
        .containsExactly("control.yaml:3: not valid YAML: the character U+0001 is not allowed in YAML");
  }

  @Test
  void nonAsciiTextKeepsItsLinesAndValues() {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("text.yaml", "a: \"caf\u00e9 \uD83D\uDE00\"\n# \u00fcber\nb: 2\n");

    assertThat(parsed.errors()).isEmpty();
    SourceDocument document = parsed.documents().get(0);
    assertThat(document.tree().get("a").asText()).isEqualTo("caf\u00e9 \uD83D\uDE00");
    assertThat(line(document, "/b")).isEqualTo(3);
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
