package strata_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// TestProgressEvents: WithProgress hears of each revision as it starts
// and as it finishes, in order, while the run goes on (each start is
// heard when the revisions before it have committed), and of the one
// that fails, with its error; downgrades report the same way.
func TestProgressEvents(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001_a.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE a;\n")
		write(t, dir, "002_b.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE b;\n")
		write(t, dir, "003_bad.sql", "-- strata:revision 003\n-- strata:parents 002\n-- migrate:up\nINSERT INTO nosuchtable VALUES (1);\n-- migrate:down\n")
		var events []string
		var m *strata.Migrator
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithProgress(func(e strata.ProgressEvent) {
			line := fmt.Sprintf("%s %s %d/%d", e.Direction, e.Revision.ID, e.Index, e.Total)
			switch {
			case !e.Finished:
				// What has committed is visible from another session
				// while the run goes on.
				st, err := m.Status(context.WithoutCancel(ctx))
				if err == nil {
					line += fmt.Sprintf(" start (%d applied)", len(st.Applied))
				} else {
					line += " start (status: " + err.Error() + ")"
				}
			case e.Err != nil:
				line += " failed"
			default:
				line += fmt.Sprintf(" done %d statement(s)", e.Result.Statements)
			}
			events = append(events, line)
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "head"); err == nil {
			t.Fatal("the upgrade through 003 succeeded")
		}
		want := []string{
			"up 001 1/3 start (0 applied)",
			"up 001 1/3 done 1 statement(s)",
			"up 002 2/3 start (1 applied)",
			"up 002 2/3 done 1 statement(s)",
			"up 003 3/3 start (2 applied)",
			"up 003 3/3 failed",
		}
		if got := strings.Join(events, "\n"); got != strings.Join(want, "\n") {
			t.Fatalf("upgrade events:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
		}
		events = nil
		if _, err := m.Downgrade(ctx, "base"); err != nil {
			t.Fatal(err)
		}
		want = []string{
			"down 002 1/2 start (2 applied)",
			"down 002 1/2 done 1 statement(s)",
			"down 001 2/2 start (1 applied)",
			"down 001 2/2 done 1 statement(s)",
		}
		if got := strings.Join(events, "\n"); got != strings.Join(want, "\n") {
			t.Fatalf("downgrade events:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
		}
	})
}
