package io.solconnect.relay.examples.e2e;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hostile {@code solconnect-sync} relay on a loopback socket, speaking raw WebSocket: it answers
 * resume requests (with nothing) and acknowledges what the client sends, like an honest relay,
 * and on request writes any number of frames as fast as the socket takes them (a flood). It records
 * the client's origin (from the vector clock of its messages) and counts the frames the client
 * wrote again because it was asked ({@code "resend":true}). Thread-safe.
 */
final class FloodingRelay implements AutoCloseable {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"([^\"]+)\"");
    private static final Pattern ORIGIN = Pattern.compile("\"vectorClock\":\\{\"([^\"]+)\"");
    private static final Pattern ROOM = Pattern.compile("\"sessionId\":\"([^\"]+)\"");

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicReference<Conn> current = new AtomicReference<>();
    private final AtomicReference<String> clientOrigin = new AtomicReference<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong resentReceived = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();

    FloodingRelay() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "flooding-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/");
    }

    /** The client's origin, once it sent a message; null before. */
    String clientOrigin() {
        return clientOrigin.get();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Client messages acknowledged so far. */
    long acked() {
        return acked.get();
    }

    /** Frames the client wrote again at a member's request ({@code "resend":true}). */
    long resentReceived() {
        return resentReceived.get();
    }

    /**
     * Writes {@code count} frames, {@code frame.apply(i)} for i = 0.., as fast as the connection
     * takes them; when the client drops the connection, goes on on its next one once the resume
     * there was answered. Returns how many were written: all of them, unless the client did not
     * come back within {@code patience}.
     */
    int flood(int count, IntFunction<String> frame, Duration patience) throws InterruptedException {
        Conn c = current.get();
        int i = 0;
        while (i < count) {
            if (c != null && c.send(frame.apply(i), false)) {
                i++;
                continue;
            }
            // the client dropped the link: go on on its next one, once its resume was answered
            c = nextResumed(c, patience);
            if (c == null) {
                return i;
            }
        }
        c.flush();
        return count;
    }

    /** Waits for a connection other than {@code old} whose resume request was answered; null after {@code patience}. */
    private synchronized Conn nextResumed(Conn old, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Conn c = current.get();
            if (c != null && c != old && c.resumed()) {
                return c;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    private synchronized void resumeAnswered() {
        notifyAll();
    }

    /** Writes one frame on the current connection; false when there is none or it is closed. */
    boolean send(String frame) {
        Conn c = current.get();
        return c != null && c.send(frame, true);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(s), "flooding-relay-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String request = WsHandshake.readHead(in);
            if (request == null) {
                return;
            }
            String protocols = WsHandshake.header(request, "sec-websocket-protocol");
            StringBuilder resp = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + WsHandshake.accept(WsHandshake.header(request, "sec-websocket-key")) + "\r\n");
            if (protocols != null && !protocols.isBlank()) {
                resp.append("Sec-WebSocket-Protocol: ").append(protocols.split(",")[0].trim()).append("\r\n");
            }
            resp.append("\r\n");
            Conn c = new Conn(s.getOutputStream());
            c.raw(resp.toString().getBytes(StandardCharsets.US_ASCII));
            connections.incrementAndGet();
            current.set(c);
            readFrames(new DataInputStream(in), c);
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads the client's (masked) frames and answers them like a relay would. */
    private void readFrames(DataInputStream in, Conn c) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            WsFrame f = WsFrame.read(in);
            if (f == null) {
                return; // the client went away
            }
            int op = f.opcode();
            byte[] payload = f.payload();
            if (op == 0x8) {
                c.close();
                return;
            }
            if (op == 0x9) {
                byte[] pong = payload;
                c.later(() -> c.control(0xA, pong));
                continue;
            }
            if (op == 0x1 || op == 0x0) {
                message.write(payload);
                if (f.fin()) {
                    answer(c, message.toString(StandardCharsets.UTF_8));
                    message.reset();
                }
            }
        }
    }

    private void answer(Conn c, String text) {
        if (text.contains("\"type\":\"sync_request\"")) {
            Matcher room = ROOM.matcher(text);
            if (room.find()) {
                String reply = "{\"type\":\"sync_response\",\"sessionId\":\"" + room.group(1) + "\",\"messages\":[]}";
                c.later(() -> {
                    c.send(reply, true);
                    c.markResumed();
                    resumeAnswered();
                });
            }
        } else if (text.contains("\"type\":\"sync_update\"")) {
            if (text.contains("\"resend\":true")) {
                resentReceived.incrementAndGet();
                return;
            }
            Matcher o = ORIGIN.matcher(text);
            if (o.find()) {
                clientOrigin.compareAndSet(null, o.group(1));
            }
            Matcher id = MESSAGE_ID.matcher(text);
            if (id.find()) {
                String ack = "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":[\"" + id.group(1) + "\"]}";
                c.later(() -> c.send(ack, true));
                acked.incrementAndGet();
            }
        }
    }

    /**
     * One connection's output; writes are serialized. The reader's answers go through a thread of
     * their own: a reader that blocked behind the flood's writes would stop reading the client,
     * whose writes would then block its reading of the flood (a deadlock of the test, not the client).
     */
    private static final class Conn {
        private final OutputStream out;
        private final LinkedBlockingQueue<Runnable> answers = new LinkedBlockingQueue<>();
        private boolean closed;

        Conn(OutputStream raw) {
            this.out = new BufferedOutputStream(raw, 64 * 1024);
            Thread t = new Thread(() -> {
                try {
                    while (!isClosed()) {
                        Runnable next = answers.poll(1, TimeUnit.SECONDS);
                        if (next != null) {
                            next.run();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "flooding-relay-answers");
            t.setDaemon(true);
            t.start();
        }

        /** Queues an answer for the answering thread; never blocks. */
        void later(Runnable write) {
            answers.add(write);
        }

        synchronized void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        synchronized boolean send(String text, boolean flush) {
            if (closed) {
                return false;
            }
            try {
                byte[] p = text.getBytes(StandardCharsets.UTF_8);
                out.write(0x81);
                if (p.length < 126) {
                    out.write(p.length);
                } else if (p.length < 65536) {
                    out.write(126);
                    out.write(p.length >>> 8);
                    out.write(p.length & 0xff);
                } else {
                    out.write(127);
                    for (int i = 7; i >= 0; i--) {
                        out.write((int) ((long) p.length >>> (8 * i)) & 0xff);
                    }
                }
                out.write(p);
                if (flush) {
                    out.flush();
                }
                return true;
            } catch (IOException e) {
                closed = true;
                return false;
            }
        }

        synchronized void control(int op, byte[] payload) {
            if (closed) {
                return;
            }
            try {
                out.write(0x80 | op);
                out.write(payload.length);
                out.write(payload);
                out.flush();
            } catch (IOException e) {
                closed = true;
            }
        }

        synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                closed = true;
            }
        }

        synchronized void close() {
            closed = true;
        }

        synchronized boolean isClosed() {
            return closed;
        }

        private volatile boolean resumed;

        void markResumed() {
            resumed = true;
        }

        boolean resumed() {
            return resumed;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
