package io.ferrite.core.strings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the reference vectors under src/test/resources/io/ferrite/core/strings: gzipped,
 * tab-separated lines recorded from a real redis-server (7.0.15 on x86-64) or from Redis's own C
 * code compiled with gcc, '#' lines being comments.
 */
final class Vectors {
    private Vectors() {
    }

    static List<String[]> load(String name) {
        try (InputStream raw = Vectors.class.getResourceAsStream(name + ".tsv.gz")) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.ISO_8859_1));
            List<String[]> rows = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                rows.add(line.split("\t", -1));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hex to bytes; "-" is the empty string. */
    static byte[] hex(String h) {
        return h.equals("-") ? new byte[0] : HexFormat.of().parseHex(h);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String str(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
