package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A system table over one database's keys of one type, read straight from the engine. Calcite
 * hands it the query's filters and projection: a key equality or IN list on {@code key} becomes
 * point lookups, an equality on another text column a check as rows are read ({@link ScanFilter}),
 * anything else a streaming walk of the keyspace with the engine's SCAN; only the projected
 * columns are read. Column 0 is always {@code key}. INSERT, UPDATE and DELETE write the engine's
 * keys ({@link FerriteModify}).
 */
abstract class KeyspaceTable extends AbstractTable implements TranslatableTable {
    protected final FerriteStore store;
    protected final int db;
    private final List<Column> columns;
    /** The type of the keys a walk visits; null for every type. */
    private final ValueType type;

    KeyspaceTable(FerriteStore store, int db, ValueType type, List<Column> columns) {
        this.store = store;
        this.db = db;
        this.type = type;
        this.columns = columns;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory types) {
        RelDataTypeFactory.Builder row = types.builder();
        for (Column column : columns) {
            row.add(column.name(), column.type(types));
        }
        return row.build();
    }

    /** The columns that identify a row: the key, and a collection's field or member. */
    List<String> primaryKey() {
        return List.of(columns.get(0).name());
    }

    /** The table's columns, in order. */
    final List<Column> columns() {
        return columns;
    }

    /** Planned as a {@link FerriteScan}, in generated code, with filters and projections pushed in by its rules. */
    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable table) {
        return FerriteScan.of(context.getCluster(), table, this);
    }

    /**
     * The rows, with the columns {@code projects}, that pass {@code conjuncts} (each one that
     * {@link ScanFilter#answers}); {@code root} holds a prepared statement's parameters.
     */
    Enumerable<Object[]> scan(DataContext root, List<RexNode> conjuncts, int[] projects) {
        ScanFilter filter = ScanFilter.of(conjuncts, root, columns);
        int[] read = filter.checksRows() ? filter.withCheckedColumns(projects) : projects;
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                RowSource source = filter.rejectsAll() ? RowSource.NONE
                        : filter.keys != null ? RowSource.of(KeyStream.of(filter.keys.stream().map(KeyspaceTable.this::keyOf).toList()),
                                KeyspaceTable.this, read, filter)
                        : walk(filter, read);
                return new RowEnumerator(source, projects, read, filter);
            }
        };
    }

    /**
     * The rows of a walk of the keyspace (no keys named), read with the columns {@code read}:
     * the engine's SCAN of the table's type, each key's rows by {@link #rowsOf}. A table may
     * read them in the walk itself.
     */
    RowSource walk(ScanFilter filter, int[] read) {
        return RowSource.of(KeyStream.scan(store, db, type, walkPrefix(filter.keyPrefix)), this, read, filter);
    }

    /** The engine key a value of the {@link Column#lookup} column names: for the system tables, itself. */
    String keyOf(String lookupValue) {
        return lookupValue;
    }

    /**
     * What the keys a walk visits start with, given what the lookup column's values start with
     * ({@code key LIKE 'user:%'}; null when anything goes); null to visit every key.
     */
    String walkPrefix(String lookupPrefix) {
        return lookupPrefix;
    }

    // ---- INSERT, UPDATE and DELETE ({@link FerriteModify}) ----

    /**
     * Writes {@code rows} as {@code operation} (INSERT: new rows; DELETE: rows as the scan read
     * them; UPDATE: those followed by the new values of {@code columns}) and returns how many
     * rows changed. An UPDATE's columns are checked before anything is written.
     */
    final long modify(TableModify.Operation operation, Iterable<Object[]> rows, int[] columns) {
        return switch (operation) {
            case INSERT -> {
                long inserted = 0;
                for (Object[] row : rows) {
                    insert(row);
                    inserted++;
                }
                yield inserted;
            }
            case DELETE -> {
                long deleted = 0;
                for (Object[] row : rows) {
                    deleted += delete(row) ? 1 : 0;
                }
                yield deleted;
            }
            case UPDATE -> update(rows, columns);
            // Calcite hands a MERGE over without the matched rows' keys, so it cannot be written per key
            default -> throw new SqlWriteException(SqlWriteException.NOT_SUPPORTED, operation + " is not supported: an INSERT"
                    + " of a row whose key exists writes it as HSET, SET, SADD or ZADD would (an upsert), and UPDATE changes rows in place");
        };
    }

    /** Writes one row (every column, in order), as the table's Redis command would. */
    void insert(Object[] row) {
        throw new SqlWriteException(SqlWriteException.NOT_SUPPORTED, "rows cannot be inserted into " + name()
                + ": write the key through its type's table");
    }

    /**
     * UPDATE: each of {@code rows} is a row as this table's scan read it followed by the new
     * values of {@code columns}; returns how many rows were changed. The columns are checked
     * before anything is written, so an UPDATE of a column the table cannot change writes nothing.
     */
    private long update(Iterable<Object[]> rows, int[] columns) {
        for (int column : columns) {
            if (!updatable(column)) {
                throw new SqlWriteException(SqlWriteException.NOT_SUPPORTED, notUpdatable(column));
            }
        }
        long changed = 0;
        int width = this.columns.size();
        for (Object[] row : rows) {
            if (update(java.util.Arrays.copyOf(row, width), columns, java.util.Arrays.copyOfRange(row, width, width + columns.length))) {
                changed++;
            }
        }
        return changed;
    }

    /** True when UPDATE can change column {@code column}. */
    boolean updatable(int column) {
        return column == updatableColumn();
    }

    /** Why column {@code column} cannot be updated. */
    String notUpdatable(int column) {
        int updatable = updatableColumn();
        return "column " + columns.get(column).name() + " of " + name() + " cannot be updated" + (updatable < 0 ? ""
                : " (only " + columns.get(updatable).name() + " can)") + ": a key is renamed with RENAME, and other changes"
                + " are a DELETE and an INSERT";
    }

    /**
     * Writes {@code values} into the {@code columns} (each {@link #updatable}) of {@code row} (as
     * read by the scan); false when the row was gone. The system tables have one such column.
     */
    boolean update(Object[] row, int[] columns, Object[] values) {
        return update(row, values[0]);
    }

    /** The one column UPDATE can change; -1 when none. */
    int updatableColumn() {
        return -1;
    }

    /** Writes {@code value} into the {@link #updatableColumn} of {@code row} (as read by the scan); false when the row was gone. */
    boolean update(Object[] row, Object value) {
        throw new IllegalStateException(name() + " has no updatable column");
    }

    /** Deletes one row (as read by this table's scan); false when it was gone already. */
    abstract boolean delete(Object[] row);

    /** The table's name, for messages. */
    abstract String name();

    /** DEL of {@code key}; false when it was gone already. */
    final boolean deleteKey(byte[] key) {
        return write(key, () -> store.keys().delete(db, MemorySegment.ofArray(key)), () -> RespCommand.of(DEL, key)) == Status.OK;
    }

    private static final byte[] DEL = {'D', 'E', 'L'};

    /** Column {@code i} of a row being written, which must not be NULL. */
    final byte[] required(Object[] row, int i) {
        return requiredValue(row[i], i);
    }

    /** {@code value}, written into column {@code i}, which must not be NULL. */
    final byte[] requiredValue(Object value, int i) {
        if (value == null) {
            throw new SqlWriteException(SqlWriteException.NOT_NULL, "column " + columns.get(i).name() + " of "
                    + name() + " cannot be NULL");
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Runs one write of {@code key} through the engine's write path ({@link FerriteStore#write}), checking its status. */
    final Status write(byte[] key, java.util.function.Supplier<Status> body, java.util.function.Supplier<byte[]> loggedForm) {
        return write(store, db, key, name(), body, loggedForm);
    }

    /** {@link #write} for {@code what} (a table's name, for messages), in {@code store}'s database {@code db}. */
    static Status write(FerriteStore store, int db, byte[] key, String what, java.util.function.Supplier<Status> body,
                        java.util.function.Supplier<byte[]> loggedForm) {
        Status status;
        try {
            status = store.write(db, key, body, loggedForm);
        } catch (io.ferrite.core.api.StorageException e) {
            throw new SqlWriteException("58030", e.getMessage()); // io_error
        }
        return switch (status) {
            case OK, NOT_FOUND, NOT_PERFORMED -> status;
            case WRONG_TYPE -> throw new SqlWriteException(SqlWriteException.WRONG_OBJECT_TYPE, "key '" + text(key)
                    + "' holds a Redis " + store.keys().type(db, MemorySegment.ofArray(key)).redisName() + ", not a row of " + what);
            case OUT_OF_MEMORY -> throw new SqlWriteException(SqlWriteException.OUT_OF_MEMORY,
                    "the engine's memory budget is exhausted (maxmemory): key '" + text(key) + "' was not written");
            default -> throw new SqlWriteException("HY000", "writing key '" + text(key) + "' failed: " + status);
        };
    }

    /**
     * The rows of {@code key} (none when it is missing or of another type), with the columns
     * {@code projects}. A table may leave out rows that {@code filter} rejects (reading less);
     * the caller checks the rows handed over against it anyway.
     */
    abstract KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter);

    /** A row of the projected columns, each computed by {@code column} from its index in the table. */
    static Object[] project(int[] projects, IntFunction<Object> column) {
        Object[] row = new Object[projects.length];
        for (int i = 0; i < projects.length; i++) {
            row[i] = column.apply(projects[i]);
        }
        return row;
    }

    /** The rows in {@code batch}, once (none when it is empty). */
    static KeyRows batch(ArrayDeque<Object[]> batch) {
        return out -> {
            if (batch.isEmpty()) {
                return false;
            }
            out.addAll(batch);
            batch.clear();
            return true;
        };
    }

    /** One row, once. */
    static KeyRows once(Object[] row) {
        return new KeyRows() {
            private boolean given;

            @Override
            public boolean fill(ArrayDeque<Object[]> out) {
                if (given) {
                    return false;
                }
                given = true;
                out.add(row);
                return true;
            }
        };
    }

    /** One scan step of a collection (HSCAN, SSCAN) from {@code cursor}, its rows into {@code out}, the next cursor into {@code next}. */
    interface ScanStep {
        Status step(long cursor, ArrayDeque<Object[]> out, LongParse next);
    }

    /** The rows of a collection, one scan step per {@link KeyRows#fill}: a collection of any size streams. */
    static KeyRows scanned(ScanStep scan) {
        return new KeyRows() {
            private long cursor;
            private boolean done;

            @Override
            public boolean fill(ArrayDeque<Object[]> out) {
                if (done) {
                    return false;
                }
                LongParse next = new LongParse();
                Status status = scan.step(cursor, out, next);
                cursor = next.value;
                done = status != Status.OK || cursor == 0; // gone, or of another type: no rows
                return true;
            }
        };
    }

    /** One step of reading a collection by index (LRANGE, ZRANGE) from {@code start}: rows into {@code out}, how many into {@code count}. */
    interface RangeStep {
        Status step(long start, long stop, ArrayDeque<Object[]> out, LongParse count);
    }

    /** The rows of a list or sorted set, one index range of {@link KeyRows#BATCH} per {@link KeyRows#fill}. */
    static KeyRows ranged(RangeStep range) {
        return new KeyRows() {
            private long start;
            private boolean done;

            @Override
            public boolean fill(ArrayDeque<Object[]> out) {
                if (done) {
                    return false;
                }
                LongParse count = new LongParse();
                Status status = range.step(start, start + BATCH - 1, out, count);
                start += BATCH;
                done = status != Status.OK || count.value < BATCH; // gone, of another type, or at its end
                return true;
            }
        };
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String text(MemorySegment source, long offset, long length) {
        byte[] bytes = new byte[Math.toIntExact(length)];
        MemorySegment.copy(source, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** True when {@code projects} hands over column {@code column}. */
    static boolean projects(int[] projects, int column) {
        for (int projected : projects) {
            if (projected == column) {
                return true;
            }
        }
        return false;
    }
}
