package org.execnet4j.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 *
 * <p>Beside the bytecode, a small file per interpreter (a {@link CompiledAgents} key: transport,
 * target and {@code python=}) names the version compiled for it last, so the first gateway of a
 * new JVM is started from the file too; should that interpreter have changed since, it refuses the
 * file as above and the note is {@linkplain #forget forgotten}.
 *
 * <p>The directory keeps the {@value #KEPT_FILES} files of each kind written last (older agent
 * versions and interpreters are dropped when a new file is written) and no temporary file older
 * than {@link #ABANDONED_AFTER} (left by a JVM that was killed while writing).
 */
final class AgentCache {
    /** The system property naming the directory, or {@value #OFF}. */
    static final String PROPERTY = "execnet4j.agentCache";
    static final String OFF = "none";
    private static final Logger LOG = LoggerFactory.getLogger(AgentCache.class);
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final int NAME_HASH_CHARS = 16;
    static final int KEPT_FILES = 16;
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);
    private static final String PREFIX = "agent-";
    private static final String SUFFIX = ".marshal";
    private static final String NOTE_PREFIX = "interpreter-";
    private static final String NOTE_SUFFIX = ".txt";
    private static final int MAX_NOTE_BYTES = 256;
    private static final String CACHE_TAG = "[A-Za-z0-9_.-]+";
    private static final String TMP_PREFIX = ".agent-";
    private static final String TMP_SUFFIX = ".tmp";

    /** A file of the cache as the bootstrap line names it. */
    record Entry(Path file, int length, long crc32) {
    }

    /** The bytecode file an interpreter ran last, and the interpreter version it is for. */
    record Recalled(String cacheTag, long hexVersion, Entry entry) {
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
        if (dir.isEmpty() || !cacheTag.matches(CACHE_TAG)) {
            return Optional.empty();
        }
        Path file = fileFor(cacheTag, hexVersion);
        Entry entry = new Entry(file, marshalled.length, crc32(marshalled));
        try {
            if (holds(entry)) {
                return Optional.of(entry);
            }
            Files.createDirectories(dir.get(), PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            if (!write(file, marshalled)) {
                return Optional.empty();
            }
            return Optional.of(entry);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("cannot cache the compiled agent in {}: {}", dir.get(), e.toString());
            return Optional.empty();
        }
    }

    /** Notes that the interpreter runs the bytecode {@link #store} wrote for this version, for the next JVM. */
    void remember(String interpreter, String cacheTag, long hexVersion) {
        if (dir.isEmpty() || !cacheTag.matches(CACHE_TAG)) {
            return;
        }
        try {
            write(noteFor(interpreter), (cacheTag + " " + hexVersion + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("cannot note the agent file of {} in {}: {}", interpreter, dir.get(), e.toString());
        }
    }

    /** The bytecode file noted for the interpreter, if the note and the file are there and private. */
    Optional<Recalled> recall(String interpreter) {
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path note = noteFor(interpreter);
            if (!Files.isRegularFile(note, LinkOption.NOFOLLOW_LINKS) || Files.size(note) > MAX_NOTE_BYTES
                    || !isPrivate(dir.get(), note)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(note, StandardCharsets.US_ASCII).strip().split(" ");
            if (parts.length != 2 || !parts[0].matches(CACHE_TAG) || !parts[1].matches("[0-9]{1,19}")) {
                return Optional.empty();
            }
            long hexVersion = Long.parseLong(parts[1]);
            return entryIn(fileFor(parts[0], hexVersion)).map(entry -> new Recalled(parts[0], hexVersion, entry));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read the agent file noted for {} in {}: {}", interpreter, dir.get(), e.toString());
            return Optional.empty();
        }
    }

    /** Forgets the interpreter's note: it refused the file it names. */
    void forget(String interpreter) {
        if (dir.isPresent()) {
            try {
                Files.deleteIfExists(noteFor(interpreter));
            } catch (IOException e) {
                LOG.debug("cannot delete the agent file note of {}: {}", interpreter, e.toString());
            }
        }
    }

    private Path fileFor(String cacheTag, long hexVersion) {
        return dir.get().resolve(PREFIX + AgentProgram.agentSha256().substring(0, NAME_HASH_CHARS) + "-" + cacheTag
                + "-" + Long.toHexString(hexVersion) + SUFFIX);
    }

    /** Named by the hash of the agent and the interpreter key: a new agent version starts without notes. */
    private Path noteFor(String interpreter) {
        return dir.get().resolve(NOTE_PREFIX + AgentProgram.sha256Hex(AgentProgram.agentSha256() + "\u0000" + interpreter)
                .substring(0, NAME_HASH_CHARS) + NOTE_SUFFIX);
    }

    /** Writes the file through a temporary one in a private directory; false if the directory is not private. */
    private boolean write(Path file, byte[] content) throws IOException {
        Files.createDirectories(dir.get(), PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        Path tmp = Files.createTempFile(dir.get(), TMP_PREFIX, TMP_SUFFIX);
        try {
            if (!isPrivate(dir.get(), tmp)) {
                LOG.debug("not caching the compiled agent: {} is not this user's alone", dir.get());
                return false;
            }
            Files.write(tmp, content);
            moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        prune(file);
        return true;
    }

    /**
     * Deletes all but the {@value #KEPT_FILES} files modified last of the kind just written
     * (bytecode or notes), and abandoned temporary files.
     */
    private void prune(Path written) throws IOException {
        String name = written.getFileName().toString();
        boolean note = name.startsWith(NOTE_PREFIX);
        List<Path> kind = new ArrayList<>();
        FileTime abandoned = FileTime.from(Instant.now().minus(ABANDONED_AFTER));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.get())) {
            for (Path f : files) {
                String other = f.getFileName().toString();
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || f.equals(written)) {
                    continue;
                }
                if (note ? other.startsWith(NOTE_PREFIX) && other.endsWith(NOTE_SUFFIX)
                        : other.startsWith(PREFIX) && other.endsWith(SUFFIX)) {
                    kind.add(f);
                } else if (other.startsWith(TMP_PREFIX) && other.endsWith(TMP_SUFFIX)
                        && lastModified(f).compareTo(abandoned) < 0) {
                    Files.deleteIfExists(f);
                }
            }
        }
        kind.sort(Comparator.comparing(AgentCache::lastModified).reversed());
        for (Path old : kind.subList(Math.min(kind.size(), KEPT_FILES - 1), kind.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);     // gone meanwhile: oldest, its deletion is a no-op
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
    private static boolean holds(Entry entry) throws IOException {
        return entryIn(entry.file()).filter(entry::equals).isPresent();
    }

    /** The file as an entry (its length and CRC-32), if it is a regular file in a private directory. */
    private static Optional<Entry> entryIn(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !isPrivate(file.getParent(), file)) {
            return Optional.empty();
        }
        byte[] content = Files.readAllBytes(file);
        return Optional.of(new Entry(file, content.length, crc32(content)));
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
