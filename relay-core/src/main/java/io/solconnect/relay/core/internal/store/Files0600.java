package io.solconnect.relay.core.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the store's directory and files readable by their owner only (0700 and 0600) on POSIX
 * file systems, so that outbox payloads do not take the umask. Elsewhere the defaults apply.
 * Stateless and thread-safe.
 */
final class Files0600 {

    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private Files0600() {
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates the directory (and missing parents) with mode 0700 for the ones it creates.
     *
     * @param dir the directory
     * @return whether the directory itself was created now
     * @throws IOException when it cannot be created
     */
    static boolean createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        if (posix()) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
            Files.setPosixFilePermissions(dir, DIR); // the umask may have cleared bits of the attribute
        } else {
            Files.createDirectory(dir);
        }
        return true;
    }

    /**
     * Opens a file for writing, creating it with mode 0600 when it does not exist.
     *
     * @param file the file
     * @param options extra open options
     * @return the channel
     * @throws IOException when it cannot be opened
     */
    static FileChannel openForWrite(Path file, StandardOpenOption... options) throws IOException {
        Set<StandardOpenOption> opts = new java.util.HashSet<>(Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        opts.addAll(Set.of(options));
        if (posix()) {
            FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(FILE);
            FileChannel ch = FileChannel.open(file, opts, mode);
            if (!Files.getPosixFilePermissions(file).equals(FILE)) {
                Files.setPosixFilePermissions(file, FILE); // an older file, or one the umask widened
            }
            return ch;
        }
        return FileChannel.open(file, opts);
    }
}
