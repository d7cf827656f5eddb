package io.ferrite.core.shard;

import static io.ferrite.core.log.RecordLayout.*;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;

/**
 * Where a located record's value is, for a writer holding the shard's lock (the memory stays
 * valid and unchanged until the writer changes it): its address, kind, and the value's bytes.
 * One reusable instance per writer; {@link #at} fills it.
 */
public final class RecordView {
    private final Shape shape = new Shape();
    public long address;
    public int kind;
    public MemorySegment page;
    public long valueOffset;
    public long valueLength;
    public long expireAt;

    /** Fills the view for the record at {@code address} of {@code log} (NULL: no record); returns this. */
    public RecordView at(HybridLog log, long address) {
        this.address = address;
        if (address == LogicalAddress.NULL) {
            kind = 0;
            page = null;
            valueOffset = 0;
            valueLength = 0;
            expireAt = 0;
            return this;
        }
        page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        kind = RecordLayout.kind(header);
        shape.parse(page, record, header);
        valueOffset = shape.valueOffset;
        valueLength = shape.valueLength;
        expireAt = RecordLayout.expireAt(page, record, header);
        return this;
    }

    public boolean exists() {
        return address != LogicalAddress.NULL;
    }

    public ValueType type() {
        return RecordKind.typeOf(kind);
    }
}
