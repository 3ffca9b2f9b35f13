package org.execnet4j.serializer;

/** The version byte that starts a dump: execnet 1.x reads only {@link #V1}, 2.x only {@link #V2}. */
public enum DumpFormat {
    /** Version byte {@code 0x01}, read by execnet 1.x. */
    V1(1),
    /** Version byte {@code 0x02}, written and read by execnet 2.x; the default. */
    V2(2);

    private final int versionByte;

    DumpFormat(int versionByte) {
        this.versionByte = versionByte;
    }

    /** {@return the byte written first in a dump of this format: 1 or 2} */
    public int versionByte() {
        return versionByte;
    }
}
