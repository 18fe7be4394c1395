package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Unmanaged is an object the database holds that strata does not model:
// inspection detects it so that strata can say it does not manage it,
// rather than report that two schemas match when they may not (a
// domain, a partition, a MySQL event, an SQLite virtual table…). Nothing
// compares, creates or drops an unmanaged object; Equal and the diff
// package ignore them.
type Unmanaged struct {
	// Kind says what the object is, in the database's words, lower case
	// but for SQL keywords: "domain", "materialized view", "exclusion
	// constraint", "event", "virtual table", "WITHOUT ROWID".
	Kind string `json:"kind"`
	// Name is the object's name; for a function-like object its
	// argument types too ("sum_all(integer)").
	Name string `json:"name"`
	// Table is the table the object belongs to (a rule, a policy, a
	// partition's parent), empty for one that stands alone.
	Table string `json:"table,omitempty"`
}

// String describes u for a person: `domain "posint"`, `rule "r" on
// table "t"`.
func (u Unmanaged) String() string {
	s := u.Kind
	if u.Name != "" {
		s += fmt.Sprintf(" %q", u.Name)
	}
	if u.Table != "" {
		s += fmt.Sprintf(" on table %q", u.Table)
	}
	return s
}

// Subject is the name the include and exclude patterns match for u: its
// table where it belongs to one, else its own name without arguments.
func (u Unmanaged) Subject() string {
	if u.Table != "" {
		return u.Table
	}
	name, _, _ := strings.Cut(u.Name, "(")
	return name
}

// sortUnmanaged puts us in canonical order, by kind, table and name,
// each object once.
func sortUnmanaged(us []Unmanaged) []Unmanaged {
	slices.SortFunc(us, func(a, b Unmanaged) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Table, b.Table), strings.Compare(a.Name, b.Name))
	})
	return slices.Compact(us)
}
