package strata

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

// unmanagedNotes says, one line per object, what the database (current)
// and the schema file (desired, named source) hold that strata does not
// model, and so does not compare: a "no changes" is then no answer about
// them. Models cannot describe such objects, so for them only the
// database's are named.
func unmanagedNotes(current, desired *schema.Schema, source string) []string {
	var notes []string
	var inDesired []schema.Unmanaged
	if desired != nil {
		inDesired = desired.Unmanaged
	}
	for _, u := range current.Unmanaged {
		if slices.Contains(inDesired, u) {
			notes = append(notes, fmt.Sprintf("strata does not manage %s (in the database and in %s): it is not compared", u, source))
		} else {
			notes = append(notes, fmt.Sprintf("strata does not manage %s (in the database): it is not compared, and left as it is", u))
		}
	}
	for _, u := range inDesired {
		if !slices.Contains(current.Unmanaged, u) {
			notes = append(notes, fmt.Sprintf("strata does not manage %s (declared in %s): migrate does not create it", u, source))
		}
	}
	return notes
}

// inspectNotes says what a schema inspection found that strata does not
// model, and so leaves out of what it prints.
func inspectNotes(s *schema.Schema) []string {
	notes := make([]string, 0, len(s.Unmanaged))
	for _, u := range s.Unmanaged {
		notes = append(notes, fmt.Sprintf("strata does not manage %s: it is not in this schema", u))
	}
	return notes
}
