package io.ferrite.server.sql;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.LocalService;

/**
 * Avatica's local service, but a statement's SQLException reaches the remote client with its
 * SQLState and message: Avatica's JdbcMeta wraps it in a plain RuntimeException, whose state
 * its error response would otherwise report as unknown ({@code 00000}).
 */
final class StatedService extends LocalService {
    StatedService(Meta meta) {
        super(meta);
    }

    private static RuntimeException stated(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return new AvaticaRuntimeException(sql.getMessage(), sql.getErrorCode(), sql.getSQLState(), AvaticaSeverity.ERROR);
            }
        }
        return e;
    }

    @Override
    public PrepareResponse apply(PrepareRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw stated(e);
        }
    }

    @Override
    public ExecuteResponse apply(PrepareAndExecuteRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw stated(e);
        }
    }

    @Override
    public ExecuteResponse apply(ExecuteRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw stated(e);
        }
    }

    @Override
    public FetchResponse apply(FetchRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw stated(e);
        }
    }

    @Override
    public ExecuteBatchResponse apply(PrepareAndExecuteBatchRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw stated(e);
        }
    }

    @Override
    public ExecuteBatchResponse apply(ExecuteBatchRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw stated(e);
        }
    }
}
