package dev.vicinity.inventory.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

/**
 * What a file looks like without reading it: size, modification time and identity (the inode, where the
 * file system has one), following symbolic links. Any edit changes it; a new identity under the same name
 * means the file was replaced by a rename, which is atomic.
 */
record FileStamp(long size, FileTime modified, Object fileKey) {
  static Optional<FileStamp> of(Path file) {
    try {
      return of(Files.readAttributes(file, BasicFileAttributes.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The stamp of a file whose attributes were read following links; empty for a dangling link. */
  static Optional<FileStamp> of(BasicFileAttributes attributes) {
    if (attributes.isSymbolicLink()) {
      return Optional.empty(); // a link's own attributes: what it points at is not there
    }
    return Optional.of(new FileStamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey()));
  }

  /** True when this stamp is of another file than {@code earlier}: the name was renamed onto, not written. */
  boolean replaced(FileStamp earlier) {
    return fileKey != null && earlier.fileKey != null && !Objects.equals(fileKey, earlier.fileKey);
  }
}
