package org.execnet4j.transport.ssh.internal;

import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.kex.AbstractDH;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.MontgomeryCurve;
import org.apache.sshd.common.kex.XDH;

/**
 * The hybrid key exchange {@code sntrup761x25519-sha512} (and its older name with
 * {@code @openssh.com}), which OpenSSH 9.0-9.8 servers prefer, with {@link Sntrup761}'s client
 * half instead of MINA SSHD's; otherwise the same exchange (X25519 beside it, SHA-512).
 */
final class Sntrup761X25519 implements DHFactory {
    private final String name;

    /** @param name {@code sntrup761x25519-sha512} or {@code sntrup761x25519-sha512@openssh.com} */
    Sntrup761X25519(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isSupported() {
        return MontgomeryCurve.x25519.isSupported() && BuiltinDigests.sha512.isSupported();
    }

    @Override
    public boolean isGroupExchange() {
        return false;
    }

    @Override
    public AbstractDH create(Object... params) throws Exception {
        if (params != null && params.length > 0) {
            throw new IllegalArgumentException("no parameters accepted for " + name);
        }
        return new XDH(MontgomeryCurve.x25519, true) {
            @Override
            public KeyEncapsulationMethod getKeyEncapsulation() {
                return Sntrup761.INSTANCE;
            }

            @Override
            public Digest getHash() throws Exception {
                return BuiltinDigests.sha512.create();
            }
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
