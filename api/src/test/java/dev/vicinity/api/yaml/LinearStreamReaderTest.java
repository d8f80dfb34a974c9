package dev.vicinity.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/** The linear reader must be SnakeYAML's reader in all but cost: same events, same positions. */
class LinearStreamReaderTest {

  private static List<String> events(StreamReader reader) {
    ParserImpl parser = new ParserImpl(reader, new LoaderOptions());
    List<String> events = new ArrayList<>();
    while (parser.peekEvent() != null) {
      Event event = parser.getEvent();
      String value = event instanceof ScalarEvent scalar ? " '" + scalar.getValue() + "'" : "";
      events.add(event.getEventId() + value + " " + where(event.getStartMark()) + "-" + where(event.getEndMark()));
      if (event.is(Event.ID.StreamEnd)) {
        break;
      }
    }
    return events;
  }

  private static String where(Mark mark) {
    return mark.getLine() + ":" + mark.getColumn() + "@" + mark.getIndex();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a: 1\nb:\n  - x\n  - 'y z'\n",
      "\uFEFFkind: List\r\nitems:\r\n- name: \"a\\tb\"\r\n",
      "text: |\n  line one\n  line two\n\nfolded: >\n  a\n  b\n---\nsecond: {k: v, l: [1, 2]}\n...\n",
      "caf\u00e9: \"\uD83D\uDE00 smile\"  # comment \u00fcber\nplain: multi\n  line value\n",
      "key:    value   \n\n\n# trailing comment\n",
  })
  void eventsAndTheirPositionsAreThoseOfSnakeYamlsReader(String yaml) {
    assertThat(events(new LinearStreamReader(yaml, 1 << 20))).isEqualTo(events(new StreamReader(yaml)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1023, 1024, 1025, 4096, 100_000})
  void runsAcrossTheWindowsGrowthKeepTheirText(int length) {
    String yaml = "a: " + "x".repeat(length) + "\nb: \"" + "y".repeat(length) + "\"\n";

    assertThat(events(new LinearStreamReader(yaml, 1 << 20))).isEqualTo(events(new StreamReader(yaml)));
  }
}
