package io.solconnect.relay.transport.tyrus;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test server endpoint driven by the text it receives: {@code big:N} answers with N 'x'
 * characters, {@code close:CODE} closes with that code, anything else is echoed. Every close the
 * server sees is recorded in {@link Log#closes}.
 */
public final class ScriptedEndpoint extends Endpoint {

    /** Closes every session with 1008 as soon as it opens. Public: Tyrus calls endpoints reflectively. */
    public static final class ClosingEndpoint extends Endpoint {
        @Override
        public void onOpen(Session s, EndpointConfig cfg) {
            try {
                s.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "go away"));
            } catch (IOException ignored) {
                // the test sees the outcome on the client
            }
        }
    }

    /** What the server saw, shared by all sessions of one test. */
    static final class Log {
        final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
        final BlockingQueue<Session> opened = new LinkedBlockingQueue<>();
    }

    private final Log log;

    ScriptedEndpoint(Log log) {
        this.log = log;
    }

    static ServerEndpointConfig config(String path, Log log, List<String> subprotocols, boolean closeOnOpen) {
        return ServerEndpointConfig.Builder.create(closeOnOpen ? ClosingEndpoint.class : ScriptedEndpoint.class, path)
                .subprotocols(subprotocols)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> c) {
                        Endpoint e = closeOnOpen ? new ClosingEndpoint() : new ScriptedEndpoint(log);
                        return c.cast(e);
                    }
                })
                .build();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        log.opened.add(session);
        session.setMaxTextMessageBufferSize(4 * 1024 * 1024);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            try {
                if (text.startsWith("big:")) {
                    session.getBasicRemote().sendText("x".repeat(Integer.parseInt(text.substring(4))));
                } else if (text.startsWith("close:")) {
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(text.substring(6))), "scripted"));
                } else {
                    session.getBasicRemote().sendText(text);
                }
            } catch (IOException ignored) {
                // the client sees the outcome
            }
        });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        log.closes.add(reason);
    }
}
