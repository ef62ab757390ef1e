package io.solconnect.relay.discovery.dns;

import org.xbill.DNS.Message;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Optional;

/**
 * A small real DNS server on a loopback UDP and TCP port, for answers dnsmasq will not give
 * (SERVFAIL, hostile TXT bytes, malformed names, changing TTLs, silence). Each query is parsed
 * with dnsjava and handed to a handler that returns the wire bytes of the answer, or empty to
 * stay silent. The handler may be replaced while the server runs.
 */
final class TinyDnsServer implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    /** Answers one query: the wire bytes to send back, or empty to stay silent. */
    interface Responder {
        Optional<byte[]> respond(Message query, boolean tcp);
    }

    private volatile Responder handler;
    private final Thread udpThread;
    private final Thread tcpThread;

    TinyDnsServer(Responder handler) throws IOException {
        this.handler = handler;
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            try {
                t = new ServerSocket(u.getLocalPort(), 50, InetAddress.getLoopbackAddress());
            } catch (IOException taken) {
                u.close();
            }
        }
        if (t == null) {
            throw new IOException("no free port for both UDP and TCP");
        }
        udp = u;
        tcp = t;
        udpThread = new Thread(this::serveUdp, "tiny-dns-udp");
        tcpThread = new Thread(this::serveTcp, "tiny-dns-tcp");
        udpThread.setDaemon(true);
        tcpThread.setDaemon(true);
        udpThread.start();
        tcpThread.start();
    }

    void handler(Responder h) {
        this.handler = h;
    }

    String resolver() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                Optional<byte[]> answer = handler.respond(q, false);
                if (answer.isPresent()) {
                    byte[] out = answer.get();
                    udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                int len = in.readUnsignedShort();
                byte[] query = in.readNBytes(len);
                Optional<byte[]> answer = handler.respond(new Message(query), true);
                if (answer.isPresent()) {
                    out.writeShort(answer.get().length);
                    out.write(answer.get());
                    out.flush();
                    s.shutdownOutput();
                    in.read(); // wait for the client to finish reading and close
                }
            } catch (IOException e) {
                if (tcp.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        udp.close();
        tcp.close();
        udpThread.join(5000);
        tcpThread.join(5000);
    }
}
