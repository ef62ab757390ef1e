package io.solconnect.relay.api.spi;

/**
 * Makes text that came from outside (a discovery answer, a setting, a server's error message) safe
 * to put into a log line, an error or an event. Plugins use it for the untrusted text they quote;
 * the engine applies it again to everything a plugin reports. Stateless and thread-safe.
 */
public final class Untrusted {

    /** Longest text kept, in characters; longer text is cut and ends with {@code ...}. */
    public static final int MAX_SHOWN = 240;

    private Untrusted() {
    }

    /**
     * Makes untrusted text printable: control, format, surrogate, unassigned and line or paragraph
     * separator characters become {@code ?}, and text longer than {@value #MAX_SHOWN} characters is
     * cut and ends with {@code ...}.
     *
     * @param text any text, may be null
     * @return the printable text ({@code "null"} for null)
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_SHOWN + 3));
        for (int i = 0; i < text.length() && sb.length() < MAX_SHOWN; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean bad = Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            sb.append(bad ? '?' : c);
        }
        if (text.length() > MAX_SHOWN) {
            sb.append("...");
        }
        return sb.toString();
    }
}
