package dev.meridian.api.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Loads the request vectors under {@code src/test/resources/sigv4/} into {@link SigV4Request}s. */
final class Vectors {

    /** One vector: a request as sent, its body, and whether it must verify. */
    record Vector(String name, SigV4Request request, byte[] body, boolean mustVerify) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Vectors() {
    }

    static List<Vector> load(String resource) {
        String text = resourceText(resource);
        List<Vector> out = new ArrayList<>();
        String[] blocks = text.split("\n=== ");
        for (int b = 1; b < blocks.length; b++) {
            String block = blocks[b];
            int headerEnd = block.indexOf("\n\n");
            String head = headerEnd < 0 ? block : block.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : block.substring(headerEnd + 2);
            if (body.endsWith("\n")) {
                body = body.substring(0, body.length() - 1);
            }
            String[] lines = head.split("\n");
            String name = lines[0].trim();
            boolean mustVerify = !name.startsWith("!");
            out.add(new Vector(name.replace("!", ""), request(lines[1], List.of(lines).subList(2, lines.length)),
                    body.getBytes(StandardCharsets.UTF_8), mustVerify));
        }
        return out;
    }

    /** Parses {@code METHOD target HTTP/1.1} (the target may contain spaces) and header lines. */
    static SigV4Request request(String requestLine, List<String> headerLines) {
        int firstSpace = requestLine.indexOf(' ');
        int version = requestLine.lastIndexOf(" HTTP/");
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, version);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1)));
        }
        return new SigV4Request(method, path, query, headers);
    }

    static Properties properties(String resource) {
        Properties p = new Properties();
        try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static String resourceText(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
