package schema

import "testing"

func TestDeclaredTypeDifference(t *testing.T) {
	col := func(decl string) *Column {
		return &Column{Name: "a", Type: IntegerType{Bits: 64}, DeclaredType: decl, Nullable: true}
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"bigint", "bigint", true},
		{"int", "INT", true},
		{"unsigned  big int", "UNSIGNED BIG INT", true},
		{"int", "bigint", false},
		{"int", "", true}, // a Go model says only the type
		{"", "", true},
	} {
		if d := ColumnDifference(col(tc.a), col(tc.b)); (d == "") != tc.same {
			t.Errorf("%q vs %q: difference %q, want same %t", tc.a, tc.b, d, tc.same)
		}
	}
}
