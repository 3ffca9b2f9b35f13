package org.execnet4j.serializer.internal;

/** The opcode bytes of execnet's value format (protocol.md §2.2). */
final class Opcodes {
    static final byte BUILDTUPLE = '@';
    static final byte BYTES = 'A';
    static final byte CHANNEL = 'B';
    static final byte FALSE = 'C';
    static final byte FLOAT = 'D';
    static final byte FROZENSET = 'E';
    static final byte INT = 'F';
    static final byte LONG = 'G';
    static final byte LONGINT = 'H';
    static final byte LONGLONG = 'I';
    static final byte NEWDICT = 'J';
    static final byte NEWLIST = 'K';
    static final byte NONE = 'L';
    static final byte PY2STRING = 'M';
    static final byte PY3STRING = 'N';
    static final byte SET = 'O';
    static final byte SETITEM = 'P';
    static final byte STOP = 'Q';
    static final byte TRUE = 'R';
    static final byte UNICODE = 'S';
    static final byte COMPLEX = 'T';

    private Opcodes() {
    }
}
