package strata

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/revision"
)

// TestNoteUpSkipsIgnoredFindings: a lint finding that the revision's
// -- strata:lint-ignore silences is not written into the file, while one
// it does not silence is, above its statement, on every dialect.
func TestNoteUpSkipsIgnoredFindings(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(dialect, func(t *testing.T) {
			rev := &revision.Revision{
				ID:         "20261207000000",
				Dialect:    dialect,
				LintIgnore: map[string]string{"SL001": "the table was retired"},
				Up: []revision.Statement{
					{SQL: "DROP TABLE old_things"},
					{SQL: "ALTER TABLE users DROP COLUMN bio"},
				},
			}
			noteUp(rev, dialect, &Plan{})
			if n, ok := rev.UpNotes[0]; ok {
				t.Errorf("the silenced SL001 was written: %q", n)
			}
			if n := rev.UpNotes[1]; !strings.HasPrefix(n, "lint SL002 drop column: ") {
				t.Errorf("note above the drop column = %q, want the SL002 finding", n)
			}
			text := string(revision.Format(rev))
			if !strings.Contains(text, "\n-- lint SL002 drop column: ") || strings.Contains(text, "-- lint SL001") {
				t.Errorf("file:\n%s", text)
			}
		})
	}
}
