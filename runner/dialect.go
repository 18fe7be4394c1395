package runner

import (
	"fmt"
	"strings"

	"github.com/strata-go/strata/revision"
)

// DialectError reports SQL revisions of a plan that were written for
// another database (their -- strata:dialect header) than the one at
// hand. A run that meets one stops before anything runs: SQL written for
// SQLite would otherwise fail on PostgreSQL half-way through.
type DialectError struct {
	// Revisions are the revisions written for another database, in plan
	// order.
	Revisions []*revision.Revision
	// Database is the dialect of the database at hand.
	Database  string
	Direction Direction
}

func (e *DialectError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s refused before running anything: ", e.Direction.command())
	if len(e.Revisions) == 1 {
		b.WriteString("a revision was written for another database than this one")
	} else {
		fmt.Fprintf(&b, "%d revisions were written for another database than this one", len(e.Revisions))
	}
	fmt.Fprintf(&b, " (%s):", e.Database)
	for _, rev := range e.Revisions {
		where := rev.Path
		if where == "" {
			where = "revision " + rev.ID
		}
		fmt.Fprintf(&b, "\n  %s: -- strata:dialect %s, this database is %s", where, rev.Dialect, e.Database)
	}
	fmt.Fprintf(&b, "\n  A SQL revision holds one database's SQL. For revisions that run on every database, write them in Go:"+
		"\n  format = \"go\" in strata.toml (or migrate --format go) writes op calls (op.CreateTable, op.AddColumn, ...)"+
		"\n  that each database renders for itself. Or write this change's SQL for %s in a revision of its own.", e.Database)
	return b.String()
}

// checkDialects returns a *DialectError when a revision of plan holds
// SQL written for another database than r's (see revision.Portable).
func (r *Runner) checkDialects(plan []*revision.Revision, dir Direction) error {
	// Every plan passes here before it runs: so do revisions this binary
	// cannot run at all.
	if err := checkGoSource(plan, dir); err != nil {
		return err
	}
	here := revision.CanonicalDialect(r.Dialect.Name())
	var foreign []*revision.Revision
	for _, rev := range plan {
		if !rev.Portable(dir == Up) && rev.Dialect != here {
			foreign = append(foreign, rev)
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	return &DialectError{Revisions: foreign, Database: here, Direction: dir}
}
