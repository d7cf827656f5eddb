package io.ferrite.server.persistence;

import io.ferrite.core.aof.AofCheck;
import io.ferrite.core.api.ValueType;
import io.ferrite.server.rdb.RdbFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./ferrite check-aof}: the engine's {@link AofCheck}, with base files in RDB form
 * ({@code aof-use-rdb-preamble yes}) read whole and checked (structure and CRC-64) as
 * {@code redis-check-aof} does.
 */
public final class CheckAof {
    private CheckAof() {}

    public static void main(String[] args) {
        System.exit(AofCheck.run(args, System.out, CheckAof::checkRdb));
    }

    /** Reads every key of the RDB file at {@code file}; returns how many it holds. */
    static long checkRdb(Path file) throws Exception {
        return RdbFile.read(Files.readAllBytes(file), new RdbFile.Visitor() {
            @Override
            public void string(int db, byte[] key, byte[] value, long expireAt) { }

            @Override
            public void collection(int db, byte[] key, ValueType type, int rdbType, List<byte[]> elements, long expireAt) { }
        });
    }
}
