package io.ferrite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;

/**
 * The scan of a system table in Calcite's generated-code (enumerable) convention, carrying the
 * filter conjuncts the table answers itself ({@link ScanFilter}) and the projected columns, both
 * pushed in by {@link FerriteScanRules}. Its code calls {@link KeyspaceTable#scan} once per
 * execution; the rest of the query runs as code Calcite compiled when the statement was
 * prepared, where a {@code ProjectableFilterableTable} alone would run in Calcite's interpreter,
 * which rebuilds its operators by reflection at every execution.
 */
final class FerriteScan extends TableScan implements EnumerableRel {
    final KeyspaceTable ferriteTable;
    /** Conjuncts (over the table's columns) the scan answers; all of them pass {@link ScanFilter#answers}. */
    final List<RexNode> conjuncts;
    /** The table's columns the scan hands over, in order. */
    final int[] projects;

    /** {@code Function1.apply}, which the generated code calls on a stashed function. */
    static final java.lang.reflect.Method APPLY;

    static {
        try {
            APPLY = Function1.class.getMethod("apply", Object.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    FerriteScan(RelOptCluster cluster, RelOptTable table, KeyspaceTable ferriteTable, List<RexNode> conjuncts, int[] projects) {
        super(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), List.of(), table);
        this.ferriteTable = ferriteTable;
        this.conjuncts = List.copyOf(conjuncts);
        this.projects = projects;
    }

    /** The whole table, every column, nothing filtered. */
    static FerriteScan of(RelOptCluster cluster, RelOptTable table, KeyspaceTable ferriteTable) {
        int columns = table.getRowType().getFieldCount();
        return new FerriteScan(cluster, table, ferriteTable, List.of(), IntStream.range(0, columns).toArray());
    }

    FerriteScan withConjuncts(List<RexNode> more) {
        List<RexNode> all = new ArrayList<>(conjuncts);
        all.addAll(more);
        return new FerriteScan(getCluster(), table, ferriteTable, all, projects);
    }

    FerriteScan withProjects(int[] columns) {
        return new FerriteScan(getCluster(), table, ferriteTable, conjuncts, columns);
    }

    /** True when the scan hands over every column in the table's order (the conjuncts' column numbers are the rows'). */
    boolean projectsAll() {
        return projects.length == table.getRowType().getFieldCount()
                && IntStream.range(0, projects.length).allMatch(i -> projects[i] == i);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return this;
    }

    @Override
    public RelDataType deriveRowType() {
        List<RelDataType> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        var fields = table.getRowType().getFieldList();
        for (int column : projects) {
            types.add(fields.get(column).getType());
            names.add(fields.get(column).getName());
        }
        RelDataTypeFactory typeFactory = getCluster().getTypeFactory();
        return typeFactory.createStructType(types, names);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw)
                .itemIf("filters", conjuncts, !conjuncts.isEmpty())
                .itemIf("projects", java.util.Arrays.toString(projects), !projectsAll());
    }

    @Override
    public void register(RelOptPlanner planner) {
        planner.addRule(FerriteScanRules.FILTER);
        planner.addRule(FerriteScanRules.PROJECT);
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        return ScanFilter.estimateRows(conjuncts, ferriteTable.columns());
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double rows = estimateRowCount(mq);
        // fewer columns read is cheaper, so that a projection pushed in wins
        return planner.getCostFactory().makeCost(rows, rows * (projects.length + 2), 0);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
        KeyspaceTable source = ferriteTable;
        List<RexNode> answered = conjuncts;
        int[] columns = projects;
        // a public type for the generated code, which lives in another package
        // one column travels as the bare value (Calcite's SCALAR row format), more as an Object[]
        Function1<DataContext, Enumerable<?>> scan = columns.length == 1
                ? root -> source.scan(root, answered, columns).select(row -> row[0])
                : root -> source.scan(root, answered, columns);
        Expression call = Expressions.call(implementor.stash(scan, Function1.class), APPLY, implementor.getRootExpression());
        return implementor.result(physType, Blocks.toBlock(Expressions.convert_(call, Enumerable.class)));
    }
}
