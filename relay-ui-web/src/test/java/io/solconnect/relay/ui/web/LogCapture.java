package io.solconnect.relay.ui.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects what is logged, at every level, while open. */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level before = root.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
    }

    /** Every line so far, formatted, with its MDC. */
    List<String> lines() {
        return List.copyOf(appender.list).stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                + (e.getThrowableProxy() != null ? " " + e.getThrowableProxy().getMessage() : "")).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(before);
    }
}
