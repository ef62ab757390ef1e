package io.solconnect.relay.core.internal.store;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.StoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code file} store, the default: JSON files in a data directory.
 *
 * <p>Settings: {@code application} (a name of letters, digits, {@code .}, {@code _} and {@code -};
 * default {@code default}), which picks the directory {@code ~/.solconnect-relay/<application>};
 * or {@code directory}, an explicit directory (not both); {@code fsync} ({@code true} by default;
 * {@code false} skips the disk sync, trading crash safety for speed, and then
 * {@link RelayStore#durable()} is false); {@code lockWait} (a duration, default {@code 2s}: how
 * long {@code create} waits for another client to release the directory).
 *
 * <p>One client per directory: {@code create} takes an OS lock on {@code store.lock} in the
 * directory and {@link RelayStore#close()} releases it; a second client gets
 * {@link ErrorCode#STORE_LOCKED}. On POSIX file systems a directory it creates is 0700 and every
 * file it writes 0600; an existing directory open to others is used with a warning.
 *
 * <p>Files: {@code config.json}, {@code history.json} (last 1,000 connections) and
 * {@code known-relays-<source>.json} are replaced atomically (write a temporary file, sync it,
 * rename it over the old one, sync the directory), so a crash leaves either the old or the new
 * version. {@code outbox.log} is an append-only log of puts and removes, synced on every append,
 * so an accepted message is on disk before {@code send} returns; it is compacted when most of it
 * is removed entries. Each of its lines ends with a tab and the CRC32C of the entry; a line whose
 * checksum does not match, or that cannot be read (a torn last line after a crash), is skipped and
 * reported as a {@link io.solconnect.relay.api.RelayEvent.StoreDamaged} event. Lines of older
 * versions, without a checksum, are read unchecked.
 */
public final class FileStoreProvider implements StoreProvider {

    private static final Logger log = LoggerFactory.getLogger(FileStoreProvider.class);
    /** The application name used when the configuration names none. */
    static final String DEFAULT_APPLICATION = "default";
    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final List<String> SETTINGS = List.of("application", "directory", "fsync", "lockWait");

    private final Path home;

    /** Creates the provider; its default directories are under the user's home directory. */
    public FileStoreProvider() {
        this(Path.of(System.getProperty("user.home")));
    }

    /** For tests: default directories under {@code home} instead of the user's home directory. */
    FileStoreProvider(Path home) {
        this.home = home;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Result<RelayStore> create(PluginContext context) {
        for (String key : context.settings().keySet()) {
            if (!SETTINGS.contains(key)) {
                return Result.err(ErrorCode.INVALID_CONFIG, "plugins.store.settings." + key + " is not a file store setting; "
                        + "known: " + String.join(", ", SETTINGS));
            }
        }
        String fsync = context.setting("fsync").orElse("true");
        if (!fsync.equals("true") && !fsync.equals("false")) {
            return Result.err(ErrorCode.INVALID_CONFIG, "plugins.store.settings.fsync must be true or false, was '" + fsync + "'");
        }
        Optional<String> application = context.setting("application");
        if (application.isPresent() && !APPLICATION.matcher(application.get()).matches()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "plugins.store.settings.application must match "
                    + APPLICATION.pattern() + ", was '" + application.get() + "'");
        }
        if (application.isPresent() && context.setting("directory").isPresent()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "plugins.store.settings: give 'application' or 'directory', not both");
        }
        Result<java.time.Duration> lockWait = context.durationSetting("lockWait", java.time.Duration.ofSeconds(2));
        if (!lockWait.isOk()) {
            return Result.err(lockWait.failure().orElseThrow());
        }
        String dir = context.setting("directory").orElseGet(() -> home.resolve(".solconnect-relay")
                .resolve(application.orElse(DEFAULT_APPLICATION)).toString());
        Path directory;
        try {
            directory = Path.of(dir).toAbsolutePath();
            if (!Files0600.createDirectory(directory) && Files0600.posix()
                    && !Files.getPosixFilePermissions(directory).equals(Files0600.DIR)) {
                log.warn("file store: {} is accessible to other users ({}); outbox payloads are kept there", directory,
                        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
            }
        } catch (IOException | RuntimeException e) {
            return Result.err(ErrorCode.IO, "plugins.store.settings.directory '" + dir + "' cannot be created: " + e.getMessage());
        }
        if (!Files.isWritable(directory)) {
            return Result.err(ErrorCode.IO, "plugins.store.settings.directory '" + directory + "' is not writable");
        }
        return StoreLock.acquire(directory, lockWait.orElseThrow())
                .map(lock -> new FileStore(directory, Boolean.parseBoolean(fsync), lock, context));
    }
}
