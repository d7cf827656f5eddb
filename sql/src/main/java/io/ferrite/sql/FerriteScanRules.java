package io.ferrite.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * The planner rules that push a query's work into a {@link FerriteScan}: the filter conjuncts
 * the table answers itself ({@link ScanFilter#answers}; the others stay in a filter above the
 * scan) and a projection of plain columns.
 */
final class FerriteScanRules {
    private FerriteScanRules() {}

    static final RelOptRule FILTER = new PushFilter();
    static final RelOptRule PROJECT = new PushProject();

    /** A filter over an unprojected scan: the conjuncts the table answers move into the scan. */
    @SuppressWarnings("deprecation") // the operand-tree constructor: one rule needs no Config machinery
    private static final class PushFilter extends RelOptRule {
        PushFilter() {
            super(operand(Filter.class, operand(FerriteScan.class, none())), "FerriteScanRules.PushFilter");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            Filter filter = call.rel(0);
            FerriteScan scan = call.rel(1);
            if (!scan.projectsAll()) {
                return; // the conjuncts' column numbers would be the projection's, not the table's
            }
            List<RexNode> pushed = new ArrayList<>();
            List<RexNode> kept = new ArrayList<>();
            for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
                (ScanFilter.answers(conjunct, scan.ferriteTable.columns()) ? pushed : kept).add(conjunct);
            }
            if (pushed.isEmpty()) {
                return;
            }
            RelNode narrowed = scan.withConjuncts(pushed);
            call.transformTo(kept.isEmpty() ? narrowed
                    : filter.copy(filter.getTraitSet(), narrowed, RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), kept)));
        }
    }

    /** A projection of plain columns over a scan: the scan reads just those. */
    @SuppressWarnings("deprecation")
    private static final class PushProject extends RelOptRule {
        PushProject() {
            super(operand(Project.class, operand(FerriteScan.class, none())), "FerriteScanRules.PushProject");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            Project project = call.rel(0);
            FerriteScan scan = call.rel(1);
            List<RexNode> expressions = project.getProjects();
            int[] columns = new int[expressions.size()];
            for (int i = 0; i < columns.length; i++) {
                if (!(expressions.get(i) instanceof RexInputRef ref)) {
                    return; // a computed column stays Calcite's
                }
                columns[i] = scan.projects[ref.getIndex()];
            }
            call.transformTo(scan.withProjects(columns));
        }
    }
}
