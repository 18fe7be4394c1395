package runner

import (
	"context"
	"fmt"
	"io"
	"maps"
	"strings"
)

// StampScript writes to w, without touching the database, the SQL that
// stamp would run to take a database whose version table records from
// (revision targets, or none for base) to target: the version table's
// creation when from is base, then one insert per revision target needs
// and one delete per revision it does not, in one transaction where the
// database has transactional DDL. No revision's statements are included:
// stamping records, it does not migrate.
func (r *Runner) StampScript(ctx context.Context, w io.Writer, from []string, target string) error {
	applied := map[string]bool{}
	for _, f := range from {
		ids, err := r.needs(f)
		if err != nil {
			return err
		}
		maps.Copy(applied, ids)
	}
	goal, err := r.needs(target)
	if err != nil {
		return err
	}
	var b strings.Builder
	what := target
	if len(from) > 0 {
		what = strings.Join(from, ",") + ":" + target
	}
	fmt.Fprintf(&b, "-- strata stamp %s (%s), written offline\n\n", what, r.Dialect.Name())
	if len(applied) == 0 {
		fmt.Fprintf(&b, "%s;\n\n", r.Dialect.CreateVersionTable(r.table()))
	}
	inTx := r.Dialect.Capabilities().TransactionalDDL
	if inTx {
		b.WriteString("BEGIN;\n")
	}
	revs := r.Graph.Revisions()
	// Forget children before their parents, record parents first.
	for i := len(revs) - 1; i >= 0; i-- {
		if rev := revs[i]; applied[rev.ID] && !goal[rev.ID] {
			fmt.Fprintf(&b, "%s;\n", r.Dialect.DeleteVersion(r.table(), rev.ID))
		}
	}
	for _, rev := range revs {
		if goal[rev.ID] && !applied[rev.ID] {
			fmt.Fprintf(&b, "%s;\n", r.Dialect.InsertVersion(r.table(), rev.ID, rev.Checksum, 0))
		}
	}
	if inTx {
		b.WriteString("COMMIT;\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}
