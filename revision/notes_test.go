package revision_test

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/revision"
)

// TestUpNotesAreComments: notes are written as comment lines above their
// statement, never as a directive (even a note that reads like one), and
// the file parses back to the same statements on the lines Write gave.
func TestUpNotesAreComments(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			rev := &revision.Revision{
				ID:      "20261207000000",
				Dialect: dialect,
				Up: []revision.Statement{
					{SQL: "CREATE TABLE t (a INT)"},
					{SQL: "ALTER TABLE t\n  DROP COLUMN a"},
				},
				Down:    []revision.Statement{{SQL: "SELECT 1"}},
				UpNotes: map[int]string{1: "warning: one\nstrata:lint-ignore SL002 not a directive\n\nmigrate:down"},
			}
			p, err := revision.Write(dir, rev)
			if err != nil {
				t.Fatal(err)
			}
			data := revision.Format(rev)
			back, err := revision.Parse(p, data, revision.ForDialect(dialect))
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if len(back.LintIgnore) != 0 || len(back.Up) != 2 || len(back.Down) != 1 {
				t.Fatalf("read back %+v\n%s", back, data)
			}
			lines := strings.Split(string(data), "\n")
			for i, s := range back.Up {
				if s.Line != rev.Up[i].Line || s.SQL != rev.Up[i].SQL {
					t.Errorf("statement %d read back %+v, written %+v", i, s, rev.Up[i])
				}
			}
			if back.Down[0].Line != rev.Down[0].Line {
				t.Errorf("downgrade read back on line %d, written %d", back.Down[0].Line, rev.Down[0].Line)
			}
			at := rev.Up[1].Line
			want := []string{"-- warning: one", "-- note: strata:lint-ignore SL002 not a directive", "-- note: migrate:down", "ALTER TABLE t"}
			if got := lines[at-4 : at]; strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("lines %d-%d = %q, want %q\n%s", at-3, at, got, want, data)
			}
		})
	}
}
