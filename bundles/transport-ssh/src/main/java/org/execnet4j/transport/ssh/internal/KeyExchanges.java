package org.execnet4j.transport.ssh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyExchangeFactory;

/**
 * The client's key exchange algorithms, in order of preference, from their OpenSSH names. The
 * default list puts {@code mlkem768x25519-sha256} first: post-quantum like
 * {@code sntrup761x25519-sha512} (which MINA SSHD prefers), but a hundred times cheaper in Java,
 * where MINA's sntrup761 (Bouncy Castle's) costs 60-500 ms of CPU per connection; for sntrup761
 * itself, which OpenSSH 9.0-9.8 servers offer, the client's key pair is generated while the
 * connection is made ({@link Sntrup761X25519}).
 */
public final class KeyExchanges {
    /** The hybrid exchange whose key pair is generated ahead ({@link Sntrup761X25519}; both names of it). */
    private static final String SNTRUP761 = "sntrup761x25519-sha512";

    private KeyExchanges() {
    }

    /**
     * Checks names of key exchange algorithms.
     *
     * @param names OpenSSH names, e.g. {@code curve25519-sha256}
     * @throws IllegalArgumentException naming the first name that is unknown or not supported here
     */
    public static void check(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no key exchange algorithm given");
        }
        for (String name : names) {
            DHFactory factory = BuiltinDHFactories.fromFactoryName(name);
            if (factory == null || !factory.isSupported()) {
                throw new IllegalArgumentException("key exchange algorithm '" + name + "' is "
                        + (factory == null ? "unknown" : "not supported by this JVM") + "; supported: " + supported());
            }
        }
    }

    /**
     * The factories to offer: the named algorithms that this JVM supports, in the given order.
     *
     * @param names OpenSSH names in order of preference
     * @return the factories, for {@code SshClient.setKeyExchangeFactories}
     */
    public static List<KeyExchangeFactory> factories(List<String> names) {
        List<KeyExchangeFactory> factories = new ArrayList<>();
        for (String name : names) {
            if (isSntrup761(name)) {
                factories.add(Sntrup761X25519.forClient(name));
                continue;
            }
            DHFactory factory = BuiltinDHFactories.fromFactoryName(name);
            if (factory != null && factory.isSupported()) {
                factories.add(ClientBuilder.DH2KEX.apply(factory));
            }
        }
        return factories;
    }

    /** Whether the name is sntrup761x25519-sha512's (either of its names). */
    static boolean isSntrup761(String name) {
        return name.startsWith(SNTRUP761);
    }

    private static String supported() {
        return BuiltinDHFactories.VALUES.stream().filter(DHFactory::isSupported).map(DHFactory::getName)
                .collect(Collectors.joining(", "));
    }
}
