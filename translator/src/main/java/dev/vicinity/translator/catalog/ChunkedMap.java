package dev.vicinity.translator.catalog;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An immutable map whose edited copies share every chunk the edit did not touch, so that a copy with a
 * few changes costs those changes, not the size of the map: the next catalog changes a handful of
 * a 100,000-endpoint world's entries. Keys are spread over a fixed number of chunks by hash.
 */
final class ChunkedMap<K, V> extends AbstractMap<K, V> {
  private static final int CHUNKS = 1024;

  /** How keys are told apart: by {@code equals}, or by identity (records hash slowly; instances are kept). */
  enum Keys { EQUAL, IDENTICAL }

  private final Keys keys;
  /** Never written after construction; a null chunk is empty. */
  private final Map<K, V>[] chunks;
  private final int size;

  private ChunkedMap(Keys keys, Map<K, V>[] chunks, int size) {
    this.keys = keys;
    this.chunks = chunks;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <K, V> ChunkedMap<K, V> empty(Keys keys) {
    return new ChunkedMap<>(keys, (Map<K, V>[]) new Map<?, ?>[CHUNKS], 0);
  }

  private int chunkOf(Object key) {
    int hash = keys == Keys.IDENTICAL ? System.identityHashCode(key) : key.hashCode();
    return (hash ^ (hash >>> 16)) & (CHUNKS - 1);
  }

  @Override
  public V get(Object key) {
    Map<K, V> chunk = chunks[chunkOf(key)];
    return chunk == null ? null : chunk.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    Map<K, V> chunk = chunks[chunkOf(key)];
    return chunk != null && chunk.containsKey(key);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<K, V>> iterator() {
        return Arrays.stream(chunks).filter(Objects::nonNull).flatMap(chunk -> chunk.entrySet().stream())
            .map(e -> (Entry<K, V>) new SimpleImmutableEntry<>(e)).iterator();
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** The values, in no particular order. */
  Stream<V> valueStream() {
    return Arrays.stream(chunks).filter(Objects::nonNull).flatMap(chunk -> chunk.values().stream());
  }

  Editor edit() {
    return new Editor();
  }

  /** Collects changes to a copy; the map it was made from stays as it is. */
  final class Editor {
    private final Map<K, V>[] edited = chunks.clone();
    private final boolean[] own = new boolean[CHUNKS];
    private int editedSize = size;

    void put(K key, V value) {
      if (writable(chunkOf(key)).put(key, value) == null) {
        editedSize++;
      }
    }

    void remove(K key) {
      int index = chunkOf(key);
      if (edited[index] != null && edited[index].containsKey(key)) {
        writable(index).remove(key);
        editedSize--;
      }
    }

    V get(K key) {
      Map<K, V> chunk = edited[chunkOf(key)];
      return chunk == null ? null : chunk.get(key);
    }

    private Map<K, V> writable(int index) {
      if (!own[index]) {
        edited[index] = copy(edited[index]);
        own[index] = true;
      }
      return edited[index];
    }

    /** A chunk to write: a copy (an array copy, for identity) of the shared one. */
    @SuppressWarnings("unchecked")
    private Map<K, V> copy(Map<K, V> chunk) {
      if (chunk == null) {
        return keys == Keys.IDENTICAL ? new IdentityHashMap<>() : new HashMap<>();
      }
      return keys == Keys.IDENTICAL
          ? (Map<K, V>) ((IdentityHashMap<K, V>) chunk).clone()
          : (Map<K, V>) ((HashMap<K, V>) chunk).clone();
    }

    ChunkedMap<K, V> build() {
      return new ChunkedMap<>(keys, edited, editedSize);
    }
  }
}
