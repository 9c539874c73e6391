package dev.meridian.api.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the SigV4 canonical request the way S3 does, from the raw request as sent.
 *
 * <p>Pure string functions, public so that tests and other services (IAM/STS later) can reuse them.
 * The S3-specific rules, which differ from the generic SigV4 description:
 * <ul>
 *   <li>The path is not normalised: {@code //}, {@code .} and {@code ..} segments stay.</li>
 *   <li>The path is encoded once, not twice. Because clients differ in which characters they escape
 *       (the canonical form is what they sign, the wire form may differ, e.g. {@code $} raw on the
 *       wire and {@code %24} in the canonical request), every {@code %XX} is decoded and every byte
 *       re-encoded unless it is unreserved ({@code A-Za-z0-9-._~}). A literal {@code /} stays a
 *       separator; an escaped {@code %2F} stays {@code %2F}, since it is part of a key, not a
 *       separator, and SDKs that send it sign it escaped.</li>
 *   <li>Query names and values are decoded and re-encoded strictly (space as {@code %20}). A raw
 *       {@code +} is a literal plus ({@code %2B}), not a space: the AWS SDKs never put an unescaped
 *       {@code +} in a query (botocore quotes with {@code safe='-_.~'}, the Java SDK escapes
 *       {@code +} as {@code %2B}), and they sign the escaped form.</li>
 * </ul>
 */
public final class SigV4Canonical {

    private SigV4Canonical() {
    }

    /** The canonical URI: the raw path re-encoded as described on the class. "" becomes "/". */
    public static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        byte[] bytes = rawPath.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            int escaped = escapedByteAt(bytes, i);
            if (escaped >= 0) {
                // An escaped slash is data, keep it escaped; anything else is re-encoded normally.
                if (escaped == '/') {
                    out.append("%2F");
                } else {
                    appendEncoded(out, escaped);
                }
                i += 2;
            } else if (b == '/') {
                out.append('/');
            } else {
                appendEncoded(out, b);
            }
        }
        return out.toString();
    }

    /**
     * The canonical query string. Parameters are split on {@code &}, a parameter without {@code =}
     * gets an empty value, empty segments are skipped, names and values are decoded then strictly
     * re-encoded, and the pairs are sorted by encoded name, then encoded value.
     *
     * @param excludeName a parameter name left out (exact match after decoding), e.g.
     *        {@code X-Amz-Signature} for presigned URLs; may be {@code null}
     */
    public static String canonicalQuery(String rawQuery, String excludeName) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String param : rawQuery.split("&", -1)) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String rawName = eq < 0 ? param : param.substring(0, eq);
            String rawValue = eq < 0 ? "" : param.substring(eq + 1);
            byte[] name = percentDecode(rawName);
            if (excludeName != null && new String(name, StandardCharsets.UTF_8).equals(excludeName)) {
                continue;
            }
            pairs.add(new String[] {encodeStrict(name), encodeStrict(percentDecode(rawValue))});
        }
        pairs.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder();
        for (String[] p : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /**
     * The canonical headers block (each line {@code name:value\n}) for the given signed header
     * names. Values are trimmed, inner whitespace runs collapse to one space, and repeated headers
     * are joined with {@code ,} in arrival order. A signed header absent from the request
     * contributes an empty value (so the signature cannot match unless the client signed it so).
     */
    public static String canonicalHeaders(List<String> signedHeaders, List<Map.Entry<String, String>> headers) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            out.append(name).append(':');
            boolean first = true;
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    if (!first) {
                        out.append(',');
                    }
                    out.append(trimAll(h.getValue() == null ? "" : h.getValue()));
                    first = false;
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The whole canonical request: method, canonical URI, canonical query, canonical headers, the
     * signed header list exactly as the client gave it, and the payload hash line.
     */
    public static String canonicalRequest(String method, String rawPath, String rawQuery, String excludeQueryName,
                                          String signedHeadersAsSent, List<Map.Entry<String, String>> headers,
                                          String payloadHash) {
        List<String> names = new ArrayList<>();
        for (String n : signedHeadersAsSent.split(";", -1)) {
            names.add(n.toLowerCase(Locale.ROOT));
        }
        return method + '\n' + canonicalPath(rawPath) + '\n' + canonicalQuery(rawQuery, excludeQueryName) + '\n'
                + canonicalHeaders(names, headers) + '\n' + signedHeadersAsSent + '\n' + payloadHash;
    }

    /** Trims and collapses runs of spaces, tabs and line breaks to a single space. */
    static String trimAll(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Decodes {@code %XX} escapes to bytes; other characters (including {@code +}) stay as UTF-8. */
    public static byte[] percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int escaped = escapedByteAt(in, i);
            if (escaped >= 0) {
                out.write(escaped);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    /** {@link #percentDecode} as a UTF-8 string (malformed sequences become U+FFFD). */
    public static String percentDecodeToString(String s) {
        return new String(percentDecode(s), StandardCharsets.UTF_8);
    }

    /** Encodes every byte except the unreserved set, with uppercase hex. */
    public static String encodeStrict(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            appendEncoded(out, b & 0xFF);
        }
        return out.toString();
    }

    private static void appendEncoded(StringBuilder out, int b) {
        if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~') {
            out.append((char) b);
        } else {
            out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
    }

    /** The byte of a valid {@code %XX} escape starting at {@code i}, or -1 (a lone '%' is literal). */
    private static int escapedByteAt(byte[] s, int i) {
        if (s[i] != '%' || i + 2 >= s.length) {
            return -1;
        }
        int hi = hexValue(s[i + 1]);
        int lo = hexValue(s[i + 2]);
        return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
