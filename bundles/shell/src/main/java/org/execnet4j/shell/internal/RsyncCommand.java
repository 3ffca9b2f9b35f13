package org.execnet4j.shell.internal;

import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.rsync.RSync;
import org.execnet4j.rsync.RSyncListener;
import org.execnet4j.rsync.TargetOptions;
import org.execnet4j.rsync.TargetResult;

/**
 * {@code execnet:rsync}: sends a local directory to a directory on every gateway of a group (or on
 * one of its gateways), all at once, with a progress bar and a summary table per gateway.
 */
@Service
@Command(scope = "execnet", name = "rsync", description = "Sends a local directory to a directory on the gateways of a group",
        detailedDescription = "Only what changed travels (large files as rsync deltas); every gateway is synced at once. "
                + "TARGET is a group name (every gateway of it) or GROUP:GATEWAY.")
public class RsyncCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Reference(optional = true)
    Session session;

    @Option(name = "--delete", description = "Remove what the source does not have (also what --exclude leaves out)")
    boolean delete;

    @Option(name = "--exclude", multiValued = true,
            description = "Leave out paths matching this glob (relative path or file name; repeatable)")
    List<String> excludes = new ArrayList<>();

    @Argument(index = 0, name = "source", description = "The local directory", required = true)
    @Completion(FileCompleter.class)
    String source;

    @Argument(index = 1, name = "target", description = "GROUP or GROUP:GATEWAY", required = true)
    @Completion(GatewayOrGroupCompleter.class)
    String target;

    @Argument(index = 2, name = "dest", description = "The directory on each gateway", required = true)
    String dest;

    @Override
    public Object execute() throws CommandException {
        Map<String, Gateway> gateways = gateways();
        List<PathMatcher> matchers = excludes.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        RSync rsync = new RSync(Path.of(source))
                .filter(p -> matchers.stream().noneMatch(m -> m.matches(p) || m.matches(p.getFileName())));
        if (session != null && session.getTerminal() != null && session.getTerminal().getWidth() > 0) {
            rsync.listener(new ProgressBar(System.out, session.getTerminal().getWidth()));
        }
        gateways.values().forEach(g -> rsync.addTarget(g, dest, TargetOptions.defaults().delete(delete)));
        List<TargetResult> results = rsync.send(false);
        ShellTable table = new ShellTable();
        for (String column : List.of("Gateway", "Files", "Sent", "Saved", "Deleted", "Time", "Result")) {
            table.column(column);
        }
        List<String> names = new ArrayList<>(gateways.keySet());
        long failed = 0;
        for (int i = 0; i < results.size(); i++) {
            TargetResult r = results.get(i);
            failed += r.ok() ? 0 : 1;
            table.addRow().addContent(names.get(i), r.filesSent(), bytes(r.bytesSent()), bytes(r.bytesSaved()), r.deleted(),
                    String.format("%.2f s", r.duration().toMillis() / 1000.0), r.summary());
        }
        table.print(System.out);
        if (failed > 0) {
            throw new CommandException(failed + " of " + results.size() + " gateways did not sync completely");
        }
        return null;
    }

    private Map<String, Gateway> gateways() throws CommandException {
        Map<String, Gateway> gateways = new LinkedHashMap<>();
        int colon = target.indexOf(':');
        String groupName = colon < 0 ? target : target.substring(0, colon);
        Group group = groups.group(groupName);
        if (colon >= 0) {
            String id = target.substring(colon + 1);
            gateways.put(groupName + "/" + id, group.get(id).orElseThrow(
                    () -> new CommandException("group '" + groupName + "' has no gateway '" + id + "'")));
        } else {
            group.gateways().forEach(g -> gateways.put(groupName + "/" + g.id(), g));
        }
        if (gateways.isEmpty()) {
            throw new CommandException("group '" + groupName + "' has no gateways");
        }
        return gateways;
    }

    static String bytes(long n) {
        return n < 1024 * 1024 ? String.format("%.1f KB", n / 1024.0) : String.format("%.1f MB", n / 1024.0 / 1024.0);
    }

    /** One terminal line redrawn in place: a bar over the bytes of every target, files done, targets finished. */
    static final class ProgressBar implements RSyncListener {
        private final PrintStream out;
        private final int width;
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong done = new AtomicLong();
        private final AtomicInteger files = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicLong lastDraw = new AtomicLong();

        ProgressBar(PrintStream out, int width) {
            this.out = out;
            this.width = width;
        }

        @Override
        public void planned(String target, int count, long bytes) {
            total.addAndGet(bytes);
            draw(false);
        }

        @Override
        public void fileDone(String target, String path, long bytes) {
            done.addAndGet(bytes);
            files.incrementAndGet();
            draw(false);
        }

        @Override
        public void finished(TargetResult result) {
            finished.incrementAndGet();
            draw(true);
        }

        @Override
        public void allFinished(List<TargetResult> results) {
            out.print("\r" + " ".repeat(Math.max(0, width - 1)) + "\r");
            out.flush();
        }

        private synchronized void draw(boolean force) {
            long now = System.nanoTime();
            if (!force && now - lastDraw.get() < 100_000_000L) {
                return;
            }
            lastDraw.set(now);
            long all = Math.max(1, total.get());
            String tail = String.format(" %3d%% %d files, %s, %d targets done", Math.min(100, done.get() * 100 / all), files.get(),
                    bytes(done.get()), finished.get());
            int bar = Math.max(10, Math.min(40, width - tail.length() - 3));
            int filled = (int) Math.min(bar, done.get() * bar / all);
            out.print("\r[" + "=".repeat(filled) + " ".repeat(bar - filled) + "]" + tail);
            out.flush();
        }
    }
}
