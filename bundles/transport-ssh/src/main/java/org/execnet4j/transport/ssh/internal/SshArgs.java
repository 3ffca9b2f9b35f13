package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.execnet4j.api.spi.ShellWords;

/**
 * The value of {@code ssh=...} read the way OpenSSH reads its command line: {@code [user@]host}
 * or {@code ssh://[user@]host[:port]}, {@code -p port}, {@code -l user}, {@code -i keyfile},
 * {@code -o Name=value}, {@code -F configfile}, {@code -J jumps}; harmless flags such as
 * {@code -C}, {@code -q}, {@code -v} are ignored. A remote command or an option that changes what
 * ssh does (forwarding, control sockets, ...) is refused.
 *
 * @param user the user from {@code user@} or {@code -l}, or null
 * @param host the host (an alias the ssh config may resolve)
 * @param port the port from {@code -p} or the URI, or -1
 * @param identities key files from {@code -i}, in order
 * @param options {@code -o} options, names in lower case, the first value of each name wins
 * @param configFile the file of {@code -F}, or null
 */
record SshArgs(String user, String host, int port, List<String> identities, Map<String, String> options,
        String configFile) {

    /** Flags without an argument that change nothing for us. */
    private static final String IGNORED_FLAGS = "46aACgKkMqsTtvXxYy";
    /** Options with an argument that we cannot honour. */
    private static final String UNSUPPORTED_WITH_ARG = "BbcDEeILmOQRSWw";

    static SshArgs parse(String text) throws IOException {
        List<String> words;
        try {
            words = ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("ssh=" + text + ": " + e.getMessage(), e);
        }
        String user = null;
        String host = null;
        int port = -1;
        List<String> identities = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        String configFile = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("-") && w.length() > 1 && host == null) {
                char flag = w.charAt(1);
                if ("plioFJ".indexOf(flag) >= 0) {
                    String value;
                    if (w.length() > 2) {
                        value = w.substring(2);
                    } else if (i + 1 < words.size()) {
                        value = words.get(++i);
                    } else {
                        throw new IOException("ssh option -" + flag + " needs a value in '" + text + "'");
                    }
                    switch (flag) {
                        case 'p' -> port = parsePort(value, text);
                        case 'l' -> user = value;
                        case 'i' -> identities.add(value);
                        case 'F' -> configFile = value;
                        case 'J' -> options.putIfAbsent("proxyjump", value);
                        default -> addOption(options, value, text);
                    }
                } else if (UNSUPPORTED_WITH_ARG.indexOf(flag) >= 0 || flag == 'N' || flag == 'f' || flag == 'n') {
                    throw new IOException("ssh option " + w + " is not supported by the ssh transport (in '" + text + "')");
                } else {
                    for (int k = 1; k < w.length(); k++) {
                        if (IGNORED_FLAGS.indexOf(w.charAt(k)) < 0) {
                            throw new IOException("unknown ssh option -" + w.charAt(k) + " in '" + text + "'");
                        }
                    }
                }
            } else if (host == null) {
                String target = w;
                if (target.startsWith("ssh://")) {
                    URI uri;
                    try {
                        uri = URI.create(target);
                    } catch (IllegalArgumentException e) {
                        throw new IOException("cannot read '" + target + "' as ssh://[user@]host[:port]", e);
                    }
                    if (uri.getHost() == null) {
                        throw new IOException("no host in '" + target + "'");
                    }
                    if (uri.getUserInfo() != null) {
                        user = uri.getUserInfo();
                    }
                    if (uri.getPort() > 0 && port < 0) {
                        port = uri.getPort();
                    }
                    host = uri.getHost();
                } else {
                    int at = target.lastIndexOf('@');
                    if (at >= 0) {
                        user = target.substring(0, at);
                        target = target.substring(at + 1);
                    }
                    host = target;
                }
                if (host.isEmpty()) {
                    throw new IOException("no host in '" + text + "'");
                }
            } else {
                throw new IOException("'" + text + "' has more than a host: '" + w
                        + "' (the ssh transport runs the interpreter itself; a remote command cannot be given)");
            }
        }
        if (host == null) {
            throw new IOException("no host in ssh=" + text);
        }
        return new SshArgs(user, host, port, Collections.unmodifiableList(identities),
                Collections.unmodifiableMap(options), configFile);
    }

    private static void addOption(Map<String, String> options, String value, String text) throws IOException {
        String v = value.strip();
        int sep = -1;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '=' || Character.isWhitespace(c)) {
                sep = i;
                break;
            }
        }
        if (sep <= 0) {
            throw new IOException("ssh option -o " + value + " is not Name=value (in '" + text + "')");
        }
        String name = v.substring(0, sep).toLowerCase(Locale.ROOT);
        String val = v.substring(sep + 1).strip();
        if (val.startsWith("=")) {
            val = val.substring(1).strip();
        }
        options.putIfAbsent(name, val);
    }

    static int parsePort(String value, String text) throws IOException {
        try {
            int p = Integer.parseInt(value.strip());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IOException("bad port '" + value + "' in '" + text + "'");
        }
    }
}
