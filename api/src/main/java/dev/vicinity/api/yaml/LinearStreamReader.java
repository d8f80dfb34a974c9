package dev.vicinity.api.yaml;

import java.io.StringReader;
import java.util.Arrays;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's reader without its quadratic cost. SnakeYAML's own {@link StreamReader} copies its whole
 * look-ahead window each time it reads another 1024 characters, and its scanner looks ahead over a whole
 * run of characters (a long one-line value) before consuming it: a 50 MB value took 18 minutes. This
 * reader grows its window geometrically, so reading is linear in the input, and refuses a look-ahead
 * longer than the longest value allowed, so that memory stays bounded too. Every public method keeps
 * SnakeYAML's semantics (positions, lines, columns, the document index behind the code point limit).
 */
final class LinearStreamReader extends StreamReader {
  private static final String NAME = "'reader'";
  /** Code points kept on each side of a mark, for SnakeYAML's error snippets. */
  private static final int SNIPPET = 40;

  private final String text;
  private final int maxLookAhead;
  /** Decoded code points; {@code pointer} is the current one, {@code length} the end of what is decoded. */
  private int[] window = new int[1024];
  private int pointer;
  private int length;
  /** The next char of {@code text} to decode. */
  private int nextChar;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  LinearStreamReader(String text, int maxLookAhead) {
    super(new StringReader(""));
    this.text = text;
    this.maxLookAhead = maxLookAhead;
  }

  @Override
  public Mark getMark() {
    int from = Math.max(0, pointer - SNIPPET);
    int to = Math.min(length, pointer + SNIPPET);
    return new Mark(NAME, index, line, column, Arrays.copyOfRange(window, from, to), pointer - from);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int count) {
    for (int i = 0; i < count && ensure(0); i++) {
      int c = window[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && ensure(0) && window[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return ensure(0) ? window[pointer] : '\0';
  }

  @Override
  public int peek(int offset) {
    return ensure(offset) ? window[pointer + offset] : '\0';
  }

  @Override
  public String prefix(int count) {
    if (count == 0) {
      return "";
    }
    int available = ensure(count) ? count : Math.min(count, length - pointer); // may move the window: first
    return new String(window, pointer, available);
  }

  @Override
  public String prefixForward(int count) {
    String prefix = prefix(count);
    // As SnakeYAML's: the scanner only asks for runs without line breaks here.
    pointer += count;
    index += count;
    documentIndex += count;
    column += count;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }

  /** True when the code point {@code offset} places ahead is decoded (false: the text ends before it). */
  private boolean ensure(int offset) {
    if (pointer + offset < length) {
      return true;
    }
    if (offset > maxLookAhead) {
      throw new LimitExceeded("a value, key or comment longer than " + maxLookAhead + " characters", getMark());
    }
    while (pointer + offset >= length && nextChar < text.length()) {
      if (length == window.length) {
        makeRoom(offset + 1);
      }
      int codePoint = text.codePointAt(nextChar);
      if (!StreamReader.isPrintable(codePoint)) {
        throw new LimitExceeded(String.format("the character U+%04X is not allowed in YAML", codePoint), markAt(length));
      }
      window[length++] = codePoint;
      nextChar += Character.charCount(codePoint);
    }
    return pointer + offset < length;
  }

  /** Drops what was consumed and, when that does not free enough, doubles the window: amortised linear. */
  private void makeRoom(int needed) {
    int kept = length - pointer;
    // At least half the window is free afterwards: each copied code point is paid for by one decoded later.
    int[] target = kept + needed > window.length / 2 ? new int[Math.max(window.length * 2, 2 * (kept + needed))] : window;
    System.arraycopy(window, pointer, target, 0, kept);
    window = target;
    length = kept;
    pointer = 0;
  }

  /** A mark at a decoded position ahead of the pointer, counting the line breaks in between. */
  private Mark markAt(int position) {
    int markLine = line;
    int markColumn = column;
    for (int i = pointer; i < position; i++) {
      if (window[i] == '\n') {
        markLine++;
        markColumn = 0;
      } else {
        markColumn++;
      }
    }
    int from = Math.max(0, position - SNIPPET);
    return new Mark(NAME, index + position - pointer, markLine, markColumn,
        Arrays.copyOfRange(window, from, position), position - from);
  }

  /** A limit or a rule of the input was broken at a known place. */
  static final class LimitExceeded extends MarkedYAMLException {
    LimitExceeded(String problem, Mark mark) {
      super(null, null, problem, mark);
    }
  }
}
