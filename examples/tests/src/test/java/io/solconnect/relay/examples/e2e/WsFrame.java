package io.solconnect.relay.examples.e2e;

import java.io.DataInputStream;
import java.io.IOException;

/**
 * One WebSocket frame as a client sends it (RFC 6455 section 5.2), read by the raw-socket test
 * relays of this package, unmasked. Immutable.
 *
 * @param opcode  the frame's opcode (0x0 continuation, 0x1 text, 0x8 close, 0x9 ping, 0xA pong)
 * @param fin     whether it is the last fragment of its message
 * @param payload the unmasked payload
 */
record WsFrame(int opcode, boolean fin, byte[] payload) {

    /**
     * Reads the next frame.
     *
     * @return the frame, or null when the stream ends before its first byte
     * @throws IOException when the stream ends inside a frame or cannot be read
     */
    static WsFrame read(DataInputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] mask = new byte[4];
        if ((b1 & 0x80) != 0) {
            in.readFully(mask);
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new WsFrame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
    }
}
