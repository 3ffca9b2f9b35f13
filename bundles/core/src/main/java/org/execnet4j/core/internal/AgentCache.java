package org.execnet4j.core.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private directory of the agent compiled to CPython bytecode (marshalled), one file per agent
 * source and interpreter version, which a fresh interpreter on this machine reads instead of
 * getting the bytecode over its stdin: a few hundred bytes of bootstrap line instead of 110 KB
 * to evaluate, decode and decompress.
 *
 * <p>A file is named by the agent's SHA-256 and the interpreter's cache tag and hex version;
 * the bootstrap line carries its length and CRC-32, and the interpreter checks both (and its own
 * version) before it unmarshals the file, so a stale or corrupt file is ignored there (the
 * interpreter then asks for the agent, see {@link AgentProgram#cachedAgentLine}) and written anew
 * by the next compile. The directory is used only if it is this user's and nobody else may write
 * to it. Files are written to a temporary name and renamed into place.
 *
 * <p>The directory is {@code -Dexecnet4j.agentCache=<dir>} ({@code none} turns the cache off),
 * by default {@code $XDG_CACHE_HOME/execnet4j} or {@code ~/.cache/execnet4j}.
 */
final class AgentCache {
    /** The system property naming the directory, or {@value #OFF}. */
    static final String PROPERTY = "execnet4j.agentCache";
    static final String OFF = "none";
    private static final Logger LOG = LoggerFactory.getLogger(AgentCache.class);
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final int NAME_HASH_CHARS = 16;

    /** A file of the cache as the bootstrap line names it. */
    record Entry(Path file, int length, long crc32) {
    }

    private final Optional<Path> dir;

    /** @param dir the directory, or empty for no cache */
    AgentCache(Optional<Path> dir) {
        this.dir = dir;
    }

    /** The cache the system property (or its default) names. */
    static AgentCache fromSystemProperties() {
        String configured = System.getProperty(PROPERTY, "");
        if (OFF.equals(configured)) {
            return new AgentCache(Optional.empty());
        }
        if (!configured.isEmpty()) {
            return new AgentCache(Optional.of(Path.of(configured)));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new AgentCache(Optional.of(base.resolve("execnet4j")));
    }

    /** {@return the directory, or empty when there is no cache} */
    Optional<Path> directory() {
        return dir;
    }

    /**
     * Stores the agent's bytecode for one interpreter version, unless the file holds it already.
     *
     * @return the file, or empty when there is no usable cache directory or the write failed
     */
    Optional<Entry> store(String cacheTag, long hexVersion, byte[] marshalled) {
        if (dir.isEmpty() || !cacheTag.matches("[A-Za-z0-9_.-]+")) {
            return Optional.empty();
        }
        Path file = dir.get().resolve("agent-" + AgentProgram.agentSha256().substring(0, NAME_HASH_CHARS) + "-" + cacheTag
                + "-" + Long.toHexString(hexVersion) + ".marshal");
        Entry entry = new Entry(file, marshalled.length, crc32(marshalled));
        try {
            if (holds(entry)) {
                return Optional.of(entry);
            }
            Files.createDirectories(dir.get(), PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            Path tmp = Files.createTempFile(dir.get(), ".agent-", ".tmp");
            try {
                if (!isPrivate(dir.get(), tmp)) {
                    LOG.debug("not caching the compiled agent: {} is not this user's alone", dir.get());
                    return Optional.empty();
                }
                Files.write(tmp, marshalled);
                moveIntoPlace(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Optional.of(entry);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("cannot cache the compiled agent in {}: {}", dir.get(), e.toString());
            return Optional.empty();
        }
    }

    private static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Whether the file is in a private directory and holds exactly the entry's bytes. */
    private boolean holds(Entry entry) throws IOException {
        Path file = entry.file();
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != entry.length()) {
            return false;
        }
        byte[] content = Files.readAllBytes(file);
        return crc32(content) == entry.crc32() && isPrivate(file.getParent(), file);
    }

    /** The directory is not a link, has the owner of {@code mine} (a file this process made or uses) and only it may write. */
    private static boolean isPrivate(Path directory, Path mine) throws IOException {
        if (Files.isSymbolicLink(directory) || !Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getOwner(mine, LinkOption.NOFOLLOW_LINKS))) {
            return false;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        return !perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE);
    }

    static long crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
