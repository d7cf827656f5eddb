<#--
  Ferrite's statements, added to Calcite's grammar (see config.fmpp).
-->

boolean IfNotExistsOpt() :
{
}
{
    LOOKAHEAD(3) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

boolean IfExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

/**
 * A table over keys:
 * CREATE TABLE [IF NOT EXISTS] name (column type [NOT NULL] [PRIMARY KEY], ... [, PRIMARY KEY (column, ...)])
 * WITH (option = 'value', ...)
 */
SqlCreate SqlCreateKeyTable(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier id;
    final List<SqlNode> columns = new ArrayList<SqlNode>();
    final List<SqlNode> primaryKey = new ArrayList<SqlNode>();
    final List<SqlNode> settings = new ArrayList<SqlNode>();
}
{
    <TABLE> ifNotExists = IfNotExistsOpt() id = CompoundIdentifier()
    <LPAREN> KeyTableElement(columns, primaryKey) ( <COMMA> KeyTableElement(columns, primaryKey) )* <RPAREN>
    [ <WITH> <LPAREN> KeyTableOption(settings) ( <COMMA> KeyTableOption(settings) )* <RPAREN> ]
    {
        return new SqlCreateKeyTable(s.end(this), replace, ifNotExists, id, new SqlNodeList(columns, Span.of(columns).pos()),
            new SqlNodeList(primaryKey, Span.of(primaryKey).pos()), new SqlNodeList(settings, Span.of(settings).pos()));
    }
}

/** A column (its name, type, NOT NULL and PRIMARY KEY), or a PRIMARY KEY (column, ...) constraint. */
void KeyTableElement(List<SqlNode> columns, List<SqlNode> primaryKey) :
{
    final SqlIdentifier id;
    final SqlDataTypeSpec type;
    boolean nullable = true;
    final Span s = Span.of();
    SqlIdentifier keyColumn;
}
{
    <PRIMARY> <KEY> <LPAREN> keyColumn = SimpleIdentifier() { primaryKey.add(keyColumn); }
    ( <COMMA> keyColumn = SimpleIdentifier() { primaryKey.add(keyColumn); } )* <RPAREN>
|
    id = SimpleIdentifier() type = DataType()
    [ <NOT> <NULL> { nullable = false; } ]
    [ <PRIMARY> <KEY> { primaryKey.add(id); } ]
    {
        columns.add(SqlDdlNodes.column(s.add(id).end(this), id, type.withNullable(nullable), null, null));
    }
}

/** name = 'value' */
void KeyTableOption(List<SqlNode> settings) :
{
    final SqlIdentifier name;
    final SqlNode value;
}
{
    name = SimpleIdentifier() <EQ> value = StringLiteral()
    {
        settings.add(name);
        settings.add(value);
    }
}

/** DROP TABLE [IF EXISTS] name */
SqlDrop SqlDropKeyTable(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier id;
}
{
    <TABLE> ifExists = IfExistsOpt() id = CompoundIdentifier()
    {
        return SqlDdlNodes.dropTable(s.end(this), ifExists, id);
    }
}

/**
 * PostgreSQL's cast {@code operand::TYPE}: it binds tighter than any other operator, so it casts
 * the operand just before it ({@code a + b::INTEGER} casts {@code b}).
 */
void InfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlDataTypeSpec type;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
    }
    type = DataType() {
        SqlNode operand = (SqlNode) list.remove(list.size() - 1);
        list.add(SqlStdOperatorTable.CAST.createCall(s.end(this), operand, type)); // a CAST, as PostgreSQL reads it
    }
}
