package org.execnet4j.transport.ssh.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Supplier;

import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;

/**
 * The client's half of Streamlined NTRU Prime 761 ({@code sntrup761}, as in OpenSSH's
 * {@code sntrup761x25519-sha512}): key generation and decapsulation, written from the NTRU Prime
 * specification with integer arrays and one reduction per coefficient, about ten times cheaper
 * than the generic implementation MINA SSHD takes from Bouncy Castle (whose key generation alone
 * costs 80-200 ms of CPU per connection in a warm JVM). The server's half (encapsulation) stays
 * MINA's. Keys are ephemeral (one per key exchange) and live only in this object.
 */
public final class Sntrup761 implements KeyEncapsulationMethod {
    /** Generates each key pair when the key exchange needs it. */
    public static final Sntrup761 INSTANCE = new Sntrup761(Sntrup761::generate);

    static final int P = 761;
    static final int Q = 4591;
    static final int W = 286;
    private static final int Q12 = (Q - 1) / 2;
    static final int SMALL_BYTES = (P + 3) / 4;
    static final int PUBLIC_KEY_BYTES = 1158;
    static final int ROUNDED_BYTES = 1007;
    static final int HASH_BYTES = 32;
    static final int CIPHERTEXT_BYTES = ROUNDED_BYTES + HASH_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<KeyPair> keys;

    /** @param keys where each key exchange's key pair comes from (generated now, or ahead for this connection) */
    Sntrup761(Supplier<KeyPair> keys) {
        this.keys = keys;
    }

    @Override
    public KeyEncapsulationMethod.Client getClient() {
        return new Client(keys);
    }

    @Override
    public KeyEncapsulationMethod.Server getServer() {
        return BuiltinKEM.sntrup761.getServer();
    }

    /**
     * A fresh key pair: g invertible in R/3 and f short (the secret), h = g/(3f) in R/q (the public
     * key), and rho, the random answer a ciphertext that does not check out is hashed with.
     */
    static KeyPair generate() {
        byte[] g = new byte[P];
        byte[] ginv = new byte[P];
        do {
            smallRandom(g);
        } while (!r3Recip(ginv, g));
        byte[] f = shortRandom();
        short[] finv3 = new short[P];
        rqRecip3(finv3, f);
        short[] h = new short[P];
        rqMultSmall(h, finv3, g);
        byte[] rho = new byte[SMALL_BYTES];
        RANDOM.nextBytes(rho);
        return new KeyPair(f, ginv, h, rqEncode(h), rho);
    }

    /** One key exchange's key pair; used once. */
    record KeyPair(byte[] f, byte[] ginv, short[] h, byte[] publicKey, byte[] rho) {
    }

    /** The client's side of one key exchange: its key pair (taken by {@link #init()}) and the decapsulation. */
    static final class Client implements KeyEncapsulationMethod.Client {
        private final Supplier<KeyPair> keys;
        private KeyPair key;

        Client(Supplier<KeyPair> keys) {
            this.keys = keys;
        }

        @Override
        public void init() {
            key = keys.get();
        }

        @Override
        public byte[] getPublicKey() {
            return key.publicKey().clone();
        }

        @Override
        public int getEncapsulationLength() {
            return CIPHERTEXT_BYTES;
        }

        @Override
        public byte[] extractSecret(byte[] encapsulated) {
            if (encapsulated.length != CIPHERTEXT_BYTES) {
                throw new IllegalArgumentException("sntrup761 encapsulation of " + encapsulated.length + " bytes, expected "
                        + CIPHERTEXT_BYTES);
            }
            short[] c = roundedDecode(encapsulated);
            byte[] r = decrypt(c);
            byte[] rEnc = smallEncode(r);
            byte[] again = hide(r, rEnc);
            int differs = 0;
            for (int i = 0; i < CIPHERTEXT_BYTES; i++) {
                differs |= again[i] ^ encapsulated[i];
            }
            int mask = -((differs | -differs) >>> 31);    // -1 when they differ, else 0
            byte[] rho = key.rho();
            for (int i = 0; i < SMALL_BYTES; i++) {
                rEnc[i] ^= (byte) (mask & (rEnc[i] ^ rho[i]));
            }
            return hashSession(1 + mask, rEnc, encapsulated);
        }

        /** r from a ciphertext's rounded polynomial: weight w, or (1,...,1,0,...,0) when decryption failed. */
        private byte[] decrypt(short[] c) {
            short[] cf = new short[P];
            rqMultSmall(cf, c, key.f());
            byte[] e = new byte[P];
            for (int i = 0; i < P; i++) {
                e[i] = f3Freeze(fqFreeze(3 * cf[i]));
            }
            byte[] ev = new byte[P];
            r3Mult(ev, e, key.ginv());
            int weight = 0;
            for (int i = 0; i < P; i++) {
                weight += ev[i] & 1;
            }
            int bad = weight - W;
            int mask = (bad | -bad) >> 31;      // -1 when the weight is not w
            byte[] r = new byte[P];
            for (int i = 0; i < W; i++) {
                r[i] = (byte) (((ev[i] ^ 1) & ~mask) ^ 1);
            }
            for (int i = W; i < P; i++) {
                r[i] = (byte) (ev[i] & ~mask);
            }
            return r;
        }

        /** The ciphertext r encrypts to under this public key, with its confirmation hash. */
        private byte[] hide(byte[] r, byte[] rEnc) {
            short[] hr = new short[P];
            rqMultSmall(hr, key.h(), r);
            for (int i = 0; i < P; i++) {
                hr[i] = (short) (hr[i] - f3Freeze(hr[i]));
            }
            byte[] out = Arrays.copyOf(roundedEncode(hr), CIPHERTEXT_BYTES);
            byte[] confirm = hashPrefix(2, concat(hashPrefix(3, rEnc), hashPrefix(4, key.publicKey())));
            System.arraycopy(confirm, 0, out, ROUNDED_BYTES, HASH_BYTES);
            return out;
        }
    }

    static byte[] hashSession(int b, byte[] y, byte[] z) {
        return hashPrefix(b, concat(hashPrefix(3, y), z));
    }

    /** The first 32 bytes of SHA-512 of {@code b} followed by {@code in}. */
    static byte[] hashPrefix(int b, byte[] in) {
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            sha512.update((byte) b);
            return Arrays.copyOf(sha512.digest(in), HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // --- arithmetic in Z/3, Z/q and R = Z[x]/(x^p - x - 1) ---

    /** x mod 3 in {-1, 0, 1}. */
    static byte f3Freeze(int x) {
        int m = x % 3;                     // in (-3, 3)
        m += (m >> 31) & 3;                // in [0, 3)
        return (byte) (m - (((1 - m) >> 31) & 3));   // 2 is -1
    }

    /** x mod q in [-(q-1)/2, (q-1)/2]. */
    static short fqFreeze(int x) {
        int m = (x + Q12) % Q;             // in (-q, q)
        m += (m >> 31) & Q;                // in [0, q)
        return (short) (m - Q12);
    }

    private static int fqRecip(int a) {
        long result = 1;
        long base = Math.floorMod(a, Q);
        for (int e = Q - 2; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result = result * base % Q;
            }
            base = base * base % Q;
        }
        return (int) result;
    }

    /** h = f * g in R/q (g small). */
    static void rqMultSmall(short[] h, short[] f, byte[] g) {
        int[] fg = product(g, f);
        for (int i = 0; i < P; i++) {
            h[i] = fqFreeze(fg[i]);
        }
    }

    /** h = f * g in R/3. */
    static void r3Mult(byte[] h, byte[] f, byte[] g) {
        short[] wide = new short[P];
        for (int i = 0; i < P; i++) {
            wide[i] = g[i];
        }
        int[] fg = product(f, wide);
        for (int i = 0; i < P; i++) {
            h[i] = f3Freeze(fg[i]);
        }
    }

    /**
     * small * f in Z[x]/(x^p - x - 1), coefficients not reduced (every term is visited, whatever the
     * small one's zeros: they are secret).
     */
    private static int[] product(byte[] small, short[] f) {
        int[] fg = new int[P + P - 1];
        for (int i = 0; i < P; i++) {
            int si = small[i];
            for (int j = 0; j < P; j++) {
                fg[i + j] += si * f[j];
            }
        }
        reduce(fg);
        return fg;
    }

    /** Folds the coefficients of x^p .. x^(2p-2) back with x^p = x + 1 (the sums stay far below 2^31). */
    private static void reduce(int[] fg) {
        for (int i = P + P - 2; i >= P; i--) {
            fg[i - P] += fg[i];
            fg[i - P + 1] += fg[i];
        }
    }

    /**
     * out = 1/in in R/3, by the divstep iteration of Bernstein and Yang (2p-1 steps on the
     * reversed polynomials).
     *
     * @return whether in is invertible (else out is meaningless)
     */
    static boolean r3Recip(byte[] out, byte[] in) {
        int[] f = new int[P + 1];
        int[] g = new int[P + 1];
        int[] v = new int[P + 1];
        int[] r = new int[P + 1];
        r[0] = 1;
        f[0] = 1;
        f[P - 1] = -1;
        f[P] = -1;
        for (int i = 0; i < P; i++) {
            g[P - 1 - i] = in[i];
        }
        int delta = 1;
        for (int loop = 0; loop < 2 * P - 1; loop++) {
            System.arraycopy(v, 0, v, 1, Math.min(P, loop + 1));
            v[0] = 0;
            int sign = -g[0] * f[0];
            int swap = (-delta >> 31) & -(g[0] & 1);
            delta ^= swap & (delta ^ -delta);
            delta++;
            swap(swap, f, g, P + 1);
            int used = Math.min(P + 1, loop + 2);     // v and r have no terms beyond x^(loop+1) yet
            swap(swap, v, r, used);
            for (int i = 0; i < P; i++) {
                g[i] = f3Freeze(g[i + 1] + sign * f[i + 1]);
            }
            g[P] = 0;
            for (int i = 0; i < used; i++) {
                r[i] = f3Freeze(r[i] + sign * v[i]);
            }
        }
        int sign = f[0];
        for (int i = 0; i < P; i++) {
            out[i] = (byte) (sign * v[P - 1 - i]);
        }
        return delta == 0;
    }

    /** out = 1/(3 in) in R/q (in is short, so invertible: q is prime and x^p - x - 1 irreducible mod q). */
    static void rqRecip3(short[] out, byte[] in) {
        int[] f = new int[P + 1];
        int[] g = new int[P + 1];
        int[] v = new int[P + 1];
        int[] r = new int[P + 1];
        r[0] = fqRecip(3);
        f[0] = 1;
        f[P - 1] = -1;
        f[P] = -1;
        for (int i = 0; i < P; i++) {
            g[P - 1 - i] = in[i];
        }
        int delta = 1;
        for (int loop = 0; loop < 2 * P - 1; loop++) {
            System.arraycopy(v, 0, v, 1, Math.min(P, loop + 1));
            v[0] = 0;
            int swap = (-delta >> 31) & -((g[0] | -g[0]) >>> 31);
            delta ^= swap & (delta ^ -delta);
            delta++;
            swap(swap, f, g, P + 1);
            int used = Math.min(P + 1, loop + 2);     // v and r have no terms beyond x^(loop+1) yet
            swap(swap, v, r, used);
            int f0 = f[0];
            int g0 = g[0];
            for (int i = 0; i < P; i++) {
                g[i] = fqFreeze(f0 * g[i + 1] - g0 * f[i + 1]);
            }
            g[P] = 0;
            for (int i = 0; i < used; i++) {
                r[i] = fqFreeze(f0 * r[i] - g0 * v[i]);
            }
        }
        int scale = fqRecip(f[0]);
        for (int i = 0; i < P; i++) {
            out[i] = fqFreeze(scale * v[P - 1 - i]);
        }
    }

    /** Swaps a[0..n) and b[0..n) when mask is -1, keeps them when it is 0, without branching on it. */
    private static void swap(int mask, int[] a, int[] b, int n) {
        for (int i = 0; i < n; i++) {
            int t = mask & (a[i] ^ b[i]);
            a[i] ^= t;
            b[i] ^= t;
        }
    }

    /** A uniformly random small polynomial (coefficients in {-1, 0, 1}). */
    private static void smallRandom(byte[] g) {
        for (int i = 0; i < P; i++) {
            g[i] = (byte) ((((RANDOM.nextInt() & 0x3fffffffL) * 3) >>> 30) - 1);
        }
    }

    /** A random small polynomial with exactly w nonzero coefficients (Fisher-Yates over the positions). */
    private static byte[] shortRandom() {
        byte[] f = new byte[P];
        for (int i = 0; i < W; i++) {
            f[i] = (byte) ((RANDOM.nextInt() & 2) - 1);
        }
        for (int i = P - 1; i > 0; i--) {
            int j = RANDOM.nextInt(i + 1);
            byte t = f[i];
            f[i] = f[j];
            f[j] = t;
        }
        return f;
    }

    // --- encodings ---

    /** Four coefficients + 1 per byte, two bits each, lowest first. */
    static byte[] smallEncode(byte[] f) {
        byte[] out = new byte[SMALL_BYTES];
        for (int i = 0; i < P; i++) {
            out[i >> 2] |= (byte) ((f[i] + 1) << (2 * (i & 3)));
        }
        return out;
    }

    static byte[] rqEncode(short[] h) {
        int[] r = new int[P];
        int[] m = new int[P];
        for (int i = 0; i < P; i++) {
            r[i] = h[i] + Q12;
            m[i] = Q;
        }
        return encode(r, m, PUBLIC_KEY_BYTES);
    }

    static byte[] roundedEncode(short[] c) {
        int[] r = new int[P];
        int[] m = new int[P];
        for (int i = 0; i < P; i++) {
            r[i] = (c[i] + Q12) / 3;
            m[i] = (Q + 2) / 3;
        }
        return encode(r, m, ROUNDED_BYTES);
    }

    static short[] roundedDecode(byte[] s) {
        int[] m = new int[P];
        Arrays.fill(m, (Q + 2) / 3);
        int[] r = new int[P];
        decode(r, s, 0, m, P);
        short[] c = new short[P];
        for (int i = 0; i < P; i++) {
            c[i] = (short) (r[i] * 3 - Q12);
        }
        return c;
    }

    /** The specification's Encode: values r[i] in [0, m[i]) to bytes, pairing them up level by level. */
    private static byte[] encode(int[] r, int[] m, int bytes) {
        byte[] out = new byte[bytes];
        int at = 0;
        int len = r.length;
        int[] rr = r.clone();
        int[] mm = m.clone();
        while (len > 1) {
            int half = 0;
            int i = 0;
            for (; i < len - 1; i += 2) {
                long m0 = mm[i];
                long value = rr[i] + rr[i + 1] * m0;
                long mod = mm[i + 1] * m0;
                while (mod >= 16384) {
                    out[at++] = (byte) value;
                    value >>>= 8;
                    mod = (mod + 255) >>> 8;
                }
                rr[half] = (int) value;
                mm[half] = (int) mod;
                half++;
            }
            if (i < len) {
                rr[half] = rr[i];
                mm[half] = mm[i];
                half++;
            }
            len = half;
        }
        long value = rr[0];
        for (long mod = mm[0]; mod > 1; mod = (mod + 255) >>> 8) {
            out[at++] = (byte) value;
            value >>>= 8;
        }
        if (at != bytes) {
            throw new IllegalStateException("encoded " + at + " bytes, expected " + bytes);
        }
        return out;
    }

    /** The specification's Decode, the inverse of {@link #encode}; out-of-range input decodes to some values in range. */
    private static void decode(int[] out, byte[] s, int at, int[] m, int len) {
        if (len == 1) {
            if (m[0] == 1) {
                out[0] = 0;
            } else if (m[0] <= 256) {
                out[0] = (s[at] & 0xff) % m[0];
            } else {
                out[0] = ((s[at] & 0xff) + ((s[at + 1] & 0xff) << 8)) % m[0];
            }
            return;
        }
        int pairs = len / 2;
        int[] m2 = new int[(len + 1) / 2];
        int[] bottomR = new int[pairs];
        int[] bottomT = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            long mod = (long) m[2 * i] * m[2 * i + 1];
            if (mod > 256L * 16383) {
                bottomT[i] = 256 * 256;
                bottomR[i] = (s[at] & 0xff) + 256 * (s[at + 1] & 0xff);
                at += 2;
                m2[i] = (int) ((((mod + 255) >>> 8) + 255) >>> 8);
            } else if (mod >= 16384) {
                bottomT[i] = 256;
                bottomR[i] = s[at] & 0xff;
                at += 1;
                m2[i] = (int) ((mod + 255) >>> 8);
            } else {
                bottomT[i] = 1;
                bottomR[i] = 0;
                m2[i] = (int) mod;
            }
        }
        if ((len & 1) != 0) {
            m2[pairs] = m[len - 1];
        }
        int[] r2 = new int[(len + 1) / 2];
        decode(r2, s, at, m2, (len + 1) / 2);
        for (int i = 0; i < pairs; i++) {
            long value = bottomR[i] + (long) bottomT[i] * r2[i];
            out[2 * i] = (int) (value % m[2 * i]);
            out[2 * i + 1] = (int) ((value / m[2 * i]) % m[2 * i + 1]);
        }
        if ((len & 1) != 0) {
            out[len - 1] = r2[pairs];
        }
    }
}
