package io.solconnect.relay.examples.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving WebSocket "relay" on a loopback TCP socket, speaking raw HTTP: it reads each
 * upgrade request and then answers the way its {@link Mode} says. Thread-safe.
 */
final class HostileServer implements AutoCloseable {

    /** How the server answers an upgrade request. */
    enum Mode {
        /** Closes the TCP connection after reading the request, before any response. */
        CLOSE_DURING_HANDSHAKE,
        /** Completes the upgrade correctly but selects a subprotocol the client did not offer. */
        WRONG_SUBPROTOCOL,
        /** Answers 503 Service Unavailable. */
        HTTP_503,
        /** Answers 404 Not Found. */
        HTTP_404,
        /** Answers a redirect to another (good) relay, which must not be followed. */
        REDIRECT
    }


    private final ServerSocket server;
    private final Mode mode;
    private final String redirectTo;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    HostileServer(Mode mode, String redirectTo) throws IOException {
        this.mode = mode;
        this.redirectTo = redirectTo;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "hostile-" + mode);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    HostileServer(Mode mode) throws IOException {
        this(mode, "");
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/");
    }

    /** The upgrade requests received so far (request line and headers). */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "hostile-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            String request = WsHandshake.readHead(s.getInputStream());
            if (request == null) {
                return;
            }
            requests.add(request);
            OutputStream out = s.getOutputStream();
            switch (mode) {
                case CLOSE_DURING_HANDSHAKE -> {
                    return;
                }
                case HTTP_503 -> out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                case HTTP_404 -> out.write(("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n"
                        + "Connection: close\r\n\r\nnot found").getBytes(StandardCharsets.US_ASCII));
                case REDIRECT -> out.write(("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + redirectTo
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                case WRONG_SUBPROTOCOL -> {
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + WsHandshake.accept(WsHandshake.header(request, "sec-websocket-key")) + "\r\n"
                            + "Sec-WebSocket-Protocol: not-offered\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // keep the connection until the client gives up on it
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // discard
                    }
                    return;
                }
                default -> throw new IllegalStateException("mode " + mode);
            }
            out.flush();
        } catch (IOException e) {
            // the client went away; nothing to do
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
