package io.ferrite.sql;

import io.ferrite.sql.parser.FerriteSqlParserImpl;
import java.io.Reader;
import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParserImplFactory;

/**
 * The parser of Ferrite's SQL connections: Calcite's grammar with {@code CREATE TABLE ... WITH
 * (...)} and {@code DROP TABLE} for tables declared over keys (generated from
 * {@code src/main/codegen}), whose statements {@link TableDeclarations} carries out. Named in a
 * connection's {@code parserFactory} property, so it is public.
 */
public final class FerriteParserFactory implements SqlParserImplFactory {
    /** The instance Calcite's {@code parserFactory} property names ({@code FerriteParserFactory#FACTORY}). */
    public static final FerriteParserFactory FACTORY = new FerriteParserFactory();

    private FerriteParserFactory() {}

    @Override
    public SqlAbstractParserImpl getParser(Reader reader) {
        return FerriteSqlParserImpl.FACTORY.getParser(reader);
    }

    @Override
    public DdlExecutor getDdlExecutor() {
        return TableDeclarations.EXECUTOR;
    }
}
