package strata

import (
	"slices"
	"testing"

	"github.com/strata-go/strata/dialect"
)

// TestFirstStatements: each op's notes go above the first statement that
// carries it out, also when a dialect folds several ops into one
// statement or renders nothing for one.
func TestFirstStatements(t *testing.T) {
	stmts := []dialect.Statement{
		{SQL: "a", Ops: []int{0}},
		{SQL: "b", Ops: []int{0}},
		{SQL: "rebuild", Ops: []int{1, 3}},
		{SQL: "check"},
		{SQL: "c", Ops: []int{4}},
	}
	// Op 2 renders nothing: its notes go above what follows op 1's.
	if got, want := firstStatements(stmts, 5), []int{0, 2, 3, 2, 4}; !slices.Equal(got, want) {
		t.Errorf("firstStatements = %v, want %v", got, want)
	}
}
