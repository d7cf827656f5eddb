package io.ferrite.server.persistence;

import io.ferrite.core.aof.BaseFormat;
import io.ferrite.server.rdb.RdbFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An AOF base in RDB form ({@code aof-use-rdb-preamble yes}, Redis 7's default): the file a
 * rewrite writes from its checkpoint is a complete RDB file with the {@code aof-base} auxiliary
 * field set, as redis-server writes its {@code .base.rdb}, so redis-server and
 * {@code redis-check-aof} read it as their own.
 */
final class RdbBase extends RdbKeys implements BaseFormat.Base {
    private RdbBase(Path path, Map<String, String> aux, boolean checksum) throws IOException {
        super(new RdbFileWriter(path, aux, checksum));
    }

    /** The format: RDB files with {@code aux} fields (and {@code aof-base 1}), checksummed when {@code checksum}. */
    static BaseFormat format(Supplier<Map<String, String>> aux, boolean checksum) {
        return path -> {
            Map<String, String> fields = new LinkedHashMap<>(aux.get());
            fields.put("aof-base", "1");
            return new RdbBase(path, fields, checksum);
        };
    }

    @Override
    public void finish() throws IOException {
        file.finish();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
