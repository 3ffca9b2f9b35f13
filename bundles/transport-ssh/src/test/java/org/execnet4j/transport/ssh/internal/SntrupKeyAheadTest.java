package org.execnet4j.transport.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.junit.jupiter.api.Test;

/**
 * sntrup761's client half with its key pair generated ahead: the first key exchange gets that key
 * pair (init does not make another), which agrees with the server half on the session key; a later
 * key exchange (a re-key) gets a key pair of its own.
 */
class SntrupKeyAheadTest {
    @Test
    void theFirstKeyExchangeTakesTheKeyGeneratedAheadAndALaterOneItsOwn() {
        SntrupKeyAhead ahead = SntrupKeyAhead.start();
        assertFalse(ahead.taken());

        KeyEncapsulationMethod.Client first = ahead.getClient();
        assertTrue(ahead.taken());
        byte[] publicKey = first.getPublicKey();
        first.init();
        assertArrayEquals(publicKey, first.getPublicKey(), "init keeps the key pair generated ahead");
        assertAgree(first);

        KeyEncapsulationMethod.Client rekey = ahead.getClient();
        rekey.init();
        assertFalse(Arrays.equals(publicKey, rekey.getPublicKey()), "a re-key has a key pair of its own");
        assertAgree(rekey);
    }

    private static void assertAgree(KeyEncapsulationMethod.Client client) {
        KeyEncapsulationMethod.Server server = BuiltinKEM.sntrup761.getServer();
        server.init(client.getPublicKey());
        assertArrayEquals(server.getSecret(), client.extractSecret(server.getEncapsulation()));
    }
}
