package dev.meridian.api.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of an HTTP request that SigV4 verification reads, free of any HTTP-library type.
 *
 * <p>The verifier works on what the client actually sent, because the signature covers the
 * client's bytes, not a framework's normalised view of them:
 *
 * <ul>
 *   <li>{@code rawPath}: the request-target path exactly as received, still percent-encoded
 *       ({@code //} and {@code .} segments kept). With Pekko HTTP take it from the
 *       {@code Raw-Request-URI} header ({@code pekko.http.server.raw-request-uri-header = on}),
 *       everything before the first {@code ?}.
 *   <li>{@code rawQuery}: everything after the first {@code ?}, still encoded; {@code null} or
 *       empty when there is none.
 *   <li>{@code headers}: every header in arrival order, names in any case, repeats allowed. It
 *       must include {@code Host}, and {@code Content-Type} / {@code Content-Length} when the
 *       client sent them (Pekko moves those into the entity, so the caller adds them back).
 * </ul>
 */
public record SigV4Request(String method, String rawPath, String rawQuery,
                           List<Map.Entry<String, String>> headers) {

    /** Validates and defensively copies the header list. */
    public SigV4Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(headers, "headers");
        headers = List.copyOf(headers);
    }

    /** All values of the header {@code name} (case-insensitive), in arrival order. */
    public List<String> headerValues(String name) {
        List<String> out = new ArrayList<>(1);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                out.add(h.getValue() == null ? "" : h.getValue());
            }
        }
        return out;
    }

    /** The first value of the header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue() == null ? "" : h.getValue();
            }
        }
        return null;
    }

    /** The distinct header names present, lower-cased, in first-arrival order. */
    public List<String> lowerCaseHeaderNames() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
