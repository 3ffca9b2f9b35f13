package org.execnet4j.transport.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.junit.jupiter.api.Test;

/**
 * The client half of sntrup761 against an independent server half (MINA SSHD's, from Bouncy
 * Castle): both must arrive at the same session key; a changed ciphertext must not.
 */
class Sntrup761Test {
    @Test
    void agreesWithAnotherImplementationsEncapsulation() {
        for (int i = 0; i < 5; i++) {
            KeyEncapsulationMethod.Client client = Sntrup761.INSTANCE.getClient();
            client.init();
            byte[] publicKey = client.getPublicKey();
            assertEquals(Sntrup761.PUBLIC_KEY_BYTES, publicKey.length);
            KeyEncapsulationMethod.Server server = BuiltinKEM.sntrup761.getServer();
            server.init(publicKey);
            byte[] encapsulation = server.getEncapsulation();
            assertEquals(client.getEncapsulationLength(), encapsulation.length);
            assertArrayEquals(server.getSecret(), client.extractSecret(encapsulation), "round " + i);
        }
    }

    @Test
    void aChangedCiphertextGivesAnotherKey() {
        KeyEncapsulationMethod.Client client = Sntrup761.INSTANCE.getClient();
        client.init();
        KeyEncapsulationMethod.Server server = BuiltinKEM.sntrup761.getServer();
        server.init(client.getPublicKey());
        byte[] encapsulation = server.getEncapsulation();
        for (int at : new int[] {0, 500, Sntrup761.ROUNDED_BYTES + 3}) {
            byte[] changed = encapsulation.clone();
            changed[at] ^= 4;
            byte[] secret = client.extractSecret(changed);
            assertEquals(Sntrup761.HASH_BYTES, secret.length);
            assertFalse(Arrays.equals(server.getSecret(), secret), "changed byte " + at);
        }
    }

    @Test
    void aKeyPairGeneratedAheadServesTheFirstKeyExchangeOnly() {
        SntrupKeyAhead ahead = SntrupKeyAhead.start();
        assertFalse(ahead.taken());
        Sntrup761 kem = new Sntrup761(ahead);
        KeyEncapsulationMethod.Client first = kem.getClient();
        first.init();
        assertTrue(ahead.taken());
        KeyEncapsulationMethod.Client rekey = kem.getClient();
        rekey.init();
        assertFalse(Arrays.equals(first.getPublicKey(), rekey.getPublicKey()), "a re-key must not reuse the key pair");
        for (KeyEncapsulationMethod.Client client : List.of(first, rekey)) {
            KeyEncapsulationMethod.Server server = BuiltinKEM.sntrup761.getServer();
            server.init(client.getPublicKey());
            assertArrayEquals(server.getSecret(), client.extractSecret(server.getEncapsulation()));
        }
    }

    @Test
    void inversesInR3AndRq() {
        byte[] g = new byte[Sntrup761.P];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) ((i * 7 + i / 5) % 3 - 1);
        }
        byte[] ginv = new byte[Sntrup761.P];
        assertTrue(Sntrup761.r3Recip(ginv, g));
        byte[] one = new byte[Sntrup761.P];
        Sntrup761.r3Mult(one, g, ginv);
        assertEquals(1, one[0]);
        for (int i = 1; i < one.length; i++) {
            assertEquals(0, one[i], "coefficient " + i);
        }
        short[] inv3 = new short[Sntrup761.P];
        Sntrup761.rqRecip3(inv3, g);
        short[] third = new short[Sntrup761.P];
        Sntrup761.rqMultSmall(third, inv3, g);
        assertEquals(Sntrup761.fqFreeze(1 * inverseOf3()), third[0]);
        for (int i = 1; i < third.length; i++) {
            assertEquals(0, third[i], "coefficient " + i);
        }
    }

    private static int inverseOf3() {
        for (int x = 1; x < Sntrup761.Q; x++) {
            if (3 * x % Sntrup761.Q == 1) {
                return x;
            }
        }
        throw new AssertionError();
    }
}
