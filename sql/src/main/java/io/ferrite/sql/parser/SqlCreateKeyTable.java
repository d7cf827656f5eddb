package io.ferrite.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE TABLE name (column type [NOT NULL] [PRIMARY KEY], ...) WITH (option = 'value', ...)}:
 * a table over keys of the engine, as parsed. Its {@link #unparse} form is the text stored for
 * the table, which the parser reads back.
 */
public final class SqlCreateKeyTable extends SqlCreate {
    private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE TABLE", SqlKind.CREATE_TABLE);

    public final SqlIdentifier name;
    /** {@code SqlColumnDeclaration}s, in order. */
    public final SqlNodeList columns;
    /** The primary key's columns ({@code SqlIdentifier}s); empty when none was declared. */
    public final SqlNodeList primaryKey;
    /** Option names ({@code SqlIdentifier}) and values (string literals), alternating. */
    public final SqlNodeList options;

    public SqlCreateKeyTable(SqlParserPos pos, boolean replace, boolean ifNotExists, SqlIdentifier name, SqlNodeList columns,
                             SqlNodeList primaryKey, SqlNodeList options) {
        super(OPERATOR, pos, replace, ifNotExists);
        this.name = name;
        this.columns = columns;
        this.primaryKey = primaryKey;
        this.options = options;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(name, columns, primaryKey, options);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(getReplace() ? "CREATE OR REPLACE TABLE" : "CREATE TABLE");
        if (ifNotExists) {
            writer.keyword("IF NOT EXISTS");
        }
        name.unparse(writer, leftPrec, rightPrec);
        SqlWriter.Frame elements = writer.startList("(", ")");
        for (SqlNode column : columns) {
            writer.sep(",");
            column.unparse(writer, 0, 0);
        }
        if (!primaryKey.isEmpty()) {
            writer.sep(",");
            writer.keyword("PRIMARY KEY");
            SqlWriter.Frame key = writer.startList("(", ")");
            for (SqlNode column : primaryKey) {
                writer.sep(",");
                column.unparse(writer, 0, 0);
            }
            writer.endList(key);
        }
        writer.endList(elements);
        if (!options.isEmpty()) {
            writer.keyword("WITH");
            SqlWriter.Frame with = writer.startList("(", ")");
            for (int i = 0; i < options.size(); i += 2) {
                writer.sep(",");
                options.get(i).unparse(writer, 0, 0);
                writer.keyword("=");
                options.get(i + 1).unparse(writer, 0, 0);
            }
            writer.endList(with);
        }
    }
}
