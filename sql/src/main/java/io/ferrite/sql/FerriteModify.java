package io.ferrite.sql;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.logical.LogicalTableModify;
import org.apache.calcite.rex.RexNode;

/**
 * INSERT, UPDATE and DELETE of a system table, as generated code ({@link #TO_ENUMERABLE}, which
 * {@link FerriteSql}'s planner carries): each input row becomes one write of the table's
 * ({@link KeyspaceTable#modify}: the engine's API, one key's change at a time, atomic for that
 * key, with the change events and the AOF entry of the equivalent Redis command), and the
 * statement answers how many rows it changed. An INSERT's rows are the new rows, a DELETE's the
 * rows as the scan read them, an UPDATE's those followed by the new values of the updated
 * columns. A statement is not atomic as a whole: a row that fails stops it, and the rows before
 * it stay written. MERGE is refused when it runs, before it writes anything.
 */
final class FerriteModify extends TableModify implements EnumerableRel {
    private final KeyspaceTable ferriteTable;

    FerriteModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, KeyspaceTable ferriteTable,
                  Prepare.CatalogReader catalogReader, RelNode input, Operation operation, List<String> updateColumns,
                  List<RexNode> sourceExpressions, boolean flattened) {
        super(cluster, traits, table, catalogReader, input, operation, updateColumns, sourceExpressions, flattened);
        this.ferriteTable = ferriteTable;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new FerriteModify(getCluster(), traitSet, table, ferriteTable, getCatalogReader(), sole(inputs), getOperation(),
                getUpdateColumnList(), getSourceExpressionList(), isFlattened());
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        BlockBuilder builder = new BlockBuilder();
        Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
        Expression rows = builder.append("rows", child.block);
        if (child.physType.getFormat() != JavaRowFormat.ARRAY) {
            rows = builder.append("arrays", child.physType.convertTo(rows, JavaRowFormat.ARRAY));
        }
        Operation operation = getOperation();
        List<String> updated = getUpdateColumnList() == null ? List.of() : getUpdateColumnList();
        int[] columns = updated.stream().mapToInt(name -> table.getRowType().getField(name, true, false).getIndex()).toArray();
        KeyspaceTable target = ferriteTable;
        Function1<Enumerable<Object[]>, Enumerable<Long>> run = input -> Linq4j.singletonEnumerable(target.modify(operation, input, columns));
        builder.add(Expressions.return_(null, Expressions.convert_(
                Expressions.call(implementor.stash(run, Function1.class), FerriteScan.APPLY, rows), Enumerable.class)));
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.SCALAR);
        return implementor.result(physType, builder.toBlock());
    }

    /** A logical modification of a system table as generated code, its input converted too. */
    static final RelOptRule TO_ENUMERABLE = ConverterRule.Config.INSTANCE
            .withConversion(LogicalTableModify.class,
                    (LogicalTableModify modify) -> modify.getTable().unwrap(KeyspaceTable.class) != null,
                    Convention.NONE, EnumerableConvention.INSTANCE, "FerriteModify.TO_ENUMERABLE")
            .withRuleFactory(ToEnumerable::new)
            .toRule(ToEnumerable.class);

    private static final class ToEnumerable extends ConverterRule {
        ToEnumerable(Config config) {
            super(config);
        }

        @Override
        public RelNode convert(RelNode rel) {
            LogicalTableModify modify = (LogicalTableModify) rel;
            RelTraitSet traits = modify.getTraitSet().replace(EnumerableConvention.INSTANCE);
            RelNode input = convert(modify.getInput(), modify.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE));
            return new FerriteModify(modify.getCluster(), traits, modify.getTable(), modify.getTable().unwrap(KeyspaceTable.class),
                    modify.getCatalogReader(), input, modify.getOperation(), modify.getUpdateColumnList(),
                    modify.getSourceExpressionList(), modify.isFlattened());
        }
    }
}
