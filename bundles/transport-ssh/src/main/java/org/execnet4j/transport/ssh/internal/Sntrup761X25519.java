package org.execnet4j.transport.ssh.internal;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.kex.AbstractDH;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.KeyExchange;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.kex.MontgomeryCurve;
import org.apache.sshd.common.kex.XDH;
import org.apache.sshd.common.session.Session;

/**
 * The hybrid key exchange {@code sntrup761x25519-sha512} (and its older name with
 * {@code @openssh.com}), which OpenSSH 9.0-9.8 servers prefer, as MINA SSHD does it (X25519 beside
 * sntrup761, SHA-512), except that its first key exchange on a connection takes the key pair
 * generated while the connection was made ({@link SntrupKeyAhead}, a connection attribute) where
 * there is one.
 */
final class Sntrup761X25519 implements DHFactory {
    private final String name;
    private final KeyEncapsulationMethod kem;

    /**
     * @param name {@code sntrup761x25519-sha512} or {@code sntrup761x25519-sha512@openssh.com}
     * @param kem the client half to use
     */
    Sntrup761X25519(String name, KeyEncapsulationMethod kem) {
        this.name = name;
        this.kem = kem;
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
                return kem;
            }

            @Override
            public Digest getHash() throws Exception {
                return BuiltinDigests.sha512.create();
            }
        };
    }

    /** The key exchange factory for the client: per session, with the key pair generated ahead for its connection, if any. */
    static KeyExchangeFactory forClient(String name) {
        KeyExchangeFactory generating = ClientBuilder.DH2KEX.apply(new Sntrup761X25519(name, BuiltinKEM.sntrup761));
        return new KeyExchangeFactory() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public KeyExchange createKeyExchange(Session session) throws Exception {
                SntrupKeyAhead ahead = OnDemandClient.attribute(session, OnDemandClient.SNTRUP_KEY_AHEAD);
                return ahead == null ? generating.createKeyExchange(session)
                        : ClientBuilder.DH2KEX.apply(new Sntrup761X25519(name, ahead)).createKeyExchange(session);
            }
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
