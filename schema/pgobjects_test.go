package schema_test

import (
	"slices"
	"testing"

	"github.com/strata-go/strata/schema"
)

// TestPGObjectDifferences: sequences, exclusion constraints and
// partitions are told apart by name, each removed, changed or added one
// named.
func TestPGObjectDifferences(t *testing.T) {
	a := &schema.Schema{
		Sequences: []*schema.Sequence{{Name: "gone", Type: "bigint"}, {Name: "kept", Type: "bigint"}},
		Tables: []*schema.Table{{Name: "t",
			Exclusions: []*schema.Exclusion{{Name: "x", Def: "EXCLUDE USING gist (r WITH &&)"}},
			Partitions: []*schema.Partition{{Name: "p1", Bound: "DEFAULT"}}}},
	}
	b := &schema.Schema{
		Sequences: []*schema.Sequence{{Name: "kept", Type: "integer"}, {Name: "new", Type: "bigint"}},
		Tables: []*schema.Table{{Name: "t",
			Exclusions: []*schema.Exclusion{{Name: "x", Def: "EXCLUDE USING gist (r WITH =)"}},
			Partitions: []*schema.Partition{{Name: "p2", Bound: "DEFAULT"}}}},
	}
	got := schema.Differences(a, b)
	for _, want := range []string{
		`sequence "gone" removed`,
		`sequence "new" added`,
		`table "t": exclusion constraint "x": "EXCLUDE USING gist (r WITH &&)", want "EXCLUDE USING gist (r WITH =)"`,
		`table "t": partition "p1" removed`,
		`table "t": partition "p2" added`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("Differences lacks %q:\n%q", want, got)
		}
	}
	if !slices.ContainsFunc(got, func(d string) bool { return len(d) > 16 && d[:16] == `sequence "kept":` }) {
		t.Errorf("Differences lacks the changed sequence: %q", got)
	}
	if d := schema.Differences(a, a.Clone()); len(d) != 0 {
		t.Errorf("a schema differs from its clone: %q", d)
	}
}
