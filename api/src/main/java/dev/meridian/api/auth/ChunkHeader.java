package dev.meridian.api.auth;

/**
 * One aws-chunked chunk header line, {@code hex-size[;name=value]*}, parsed.
 *
 * <p>Extensions other than {@code chunk-signature} are ignored (HTTP chunk extensions are allowed
 * there), and whitespace around the parts is tolerated.
 *
 * @param size the chunk's data length
 * @param signature the {@code chunk-signature} value, or null when absent
 */
record ChunkHeader(long size, String signature) {

    /** Parses a header line (without its CR LF); {@code InvalidRequest} when the size is not hex. */
    static ChunkHeader parse(String line) {
        int semi = line.indexOf(';');
        String size = (semi < 0 ? line : line.substring(0, semi)).trim();
        String signature = null;
        if (semi >= 0) {
            for (String ext : line.substring(semi + 1).split(";")) {
                int eq = ext.indexOf('=');
                if (eq > 0 && ext.substring(0, eq).trim().equalsIgnoreCase("chunk-signature")) {
                    signature = ext.substring(eq + 1).trim();
                }
            }
        }
        return new ChunkHeader(parseHex(size), signature);
    }

    /** At most 15 hex digits, so the size always fits a long. */
    private static long parseHex(String size) {
        if (size.isEmpty() || size.length() > 15) {
            throw invalid(size);
        }
        long value = 0;
        for (int i = 0; i < size.length(); i++) {
            char c = size.charAt(i);
            int d = c <= 'f' ? Character.digit(c, 16) : -1;
            if (d < 0) {
                throw invalid(size);
            }
            value = (value << 4) | d;
        }
        return value;
    }

    private static ChunkedEncodingException invalid(String size) {
        return new ChunkedEncodingException(AuthError.InvalidRequest, "Invalid aws-chunked chunk size \"" + size + "\"");
    }
}
