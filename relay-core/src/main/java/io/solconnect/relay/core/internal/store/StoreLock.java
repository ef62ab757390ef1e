package io.solconnect.relay.core.internal.store;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * An exclusive lock on a store directory: an OS file lock on its {@code store.lock} file, held
 * from {@link #acquire} until {@link #release}. It keeps a second client, in this process or
 * another, from sharing (and corrupting) the outbox. The OS drops the lock when the process dies,
 * so a crash never leaves a stale lock behind. Thread-safe.
 */
final class StoreLock {

    static final String FILE = "store.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, retrying every 20 ms for up to {@code wait} (a client that has just stopped
     * releases it from its I/O thread a moment later).
     *
     * @param dir  the store directory
     * @param wait how long to retry; zero tries once
     * @return the lock, or {@link ErrorCode#STORE_LOCKED} when another client holds it, or
     *         {@link ErrorCode#IO}
     */
    static Result<StoreLock> acquire(Path dir, Duration wait) {
        Path file = dir.resolve(FILE);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            FileChannel ch = null;
            try {
                ch = Files0600.openForWrite(file);
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null; // held by another client in this JVM
                }
                if (l != null) {
                    return Result.ok(new StoreLock(ch, l));
                }
                ch.close();
            } catch (IOException e) {
                closeQuietly(ch);
                return Result.err(ErrorCode.IO, "cannot lock " + file + ": " + e.getMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                return Result.err(ErrorCode.STORE_LOCKED, "store directory " + dir + " is in use by another client "
                        + "(its " + FILE + " is locked); give each application its own directory with the file store's "
                        + "'application' or 'directory' setting");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.err(ErrorCode.STORE_LOCKED, "interrupted while waiting for the lock on " + dir);
            }
        }
    }

    /** Releases the lock. Idempotent. */
    synchronized void release() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel below releases it anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
