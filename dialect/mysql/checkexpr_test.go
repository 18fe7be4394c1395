package mysql

import "testing"

// TestNormalizeCheck: one spelling for the variants of an expression;
// what does not parse is left as it is.
func TestNormalizeCheck(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"(`a` > 0) and (`b` > 0)", "`a` > 0 and `b` > 0"},
		{"((`a` > 0) AND ((`b` < 1)))", "`a` > 0 and `b` < 1"},
		{"`a` > 0 && `b` > 0 || `c`", "`a` > 0 and `b` > 0 or `c` <> 0"},
		{"(`a` or `b`) and `c` > 0", "(`a` <> 0 or `b` <> 0) and `c` > 0"},
		{"not (`a` = 1 or `a` like 'x%')", "`a` <> 1 and `a` not like 'x%'"},
		{"not `a` like 'b%'", "`a` not like 'b%'"},
		{"`a`  not like 'b%'", "`a` not like 'b%'"},
		{"not (`a` is null)", "`a` is not null"},
		{"not `a` in (1,2)", "`a` not in (1, 2)"},
		{"not (`a` between 1 and 2)", "`a` not between 1 and 2"},
		{"not `ok`", "`ok` = 0"},
		{"not (`ok` and `qty`)", "`ok` = 0 or `qty` = 0"},
		{"`ok` or `qty` = 0", "`ok` <> 0 or `qty` = 0"},
		{"`ok`", "`ok`"},
		{"`ok` xor `qty`", "`ok` xor `qty`"},
		{"not lower(`a`)", "not lower(`a`)"},
		{"`a` != 1", "`a` <> 1"},
		{"`a` - (`b` - `c`) > 0", "`a` - (`b` - `c`) > 0"},
		{"(`a` - `b`) - `c` > 0", "`a` - `b` - `c` > 0"},
		{"`a` <= (`b` * 10 + 1)", "`a` <= `b` * 10 + 1"},
		{"`a` = - 1", "`a` = -1"},
		{"lower(`a`) = 'x' and char_length(`a`) > 0", "lower(`a`) = 'x' and char_length(`a`) > 0"},
		{"`a` = 'it''s'", "`a` = 'it''s'"},
		{"case when `a` > 0 then 1 else 0 end = 1", "case when `a` > 0 then 1 else 0 end = 1"},
		{"`a` > 0 -- x", "`a` > 0 -- x"},
	} {
		if got := normalizeCheck(c.in); got != c.want {
			t.Errorf("normalizeCheck(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzNormalizeCheck: the spelling is stable and nothing panics.
func FuzzNormalizeCheck(f *testing.F) {
	for _, s := range []string{"(`a` > 0) and (`b` < 1)", "not (`a` in (1,2) or `b` like 'x')", "`a` between -1 and 2", "`a` - (`b` - 1) * 2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := normalizeCheck(s)
		if twice := normalizeCheck(once); twice != once {
			t.Errorf("normalizeCheck(%q) = %q, then %q", s, once, twice)
		}
	})
}
