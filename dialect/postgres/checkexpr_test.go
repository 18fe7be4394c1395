package postgres_test

import (
	"fmt"
	"testing"

	"github.com/strata-go/strata/dialect/postgres"
)

// TestCheckExpressionsConverge: a check written as people write it and
// the same check as pg_get_constraintdef prints it back (parentheses
// added and dropped, LIKE as ~~, IN as = ANY (ARRAY[…]), BETWEEN as two
// comparisons, negative numbers as '-1'::integer) compare equal after
// Canonical, so check is clean after upgrade.
func TestCheckExpressionsConverge(t *testing.T) {
	db, d := freshDB(t)
	exprs := []string{
		"(qty > 0) and (qty < 100)",
		"((qty > 0) and ((qty < 100)))",
		"qty > 0 and qty < 100 or qty = -1",
		"(qty > 0 or qty < -100) and qty <> 5",
		"qty in (1, 2, 3)",
		"code in ('a', 'b') and length(code) > 0",
		"not (qty > 1 and qty < 3) and -qty < 0 and qty + price * 2 > (qty - 1) * 3",
		"lower(code) != 'x' and code is not null and s ilike 'x%'",
		"code not like 'b%' or s not in ('p', 'q')",
		"not code like 'b%'",
		"price between -10 and 10000000000",
		"qty not between 1 and 5",
		"coalesce(price, 0) >= 0",
		"ok or qty = 0",
		"(qty * 2) + 1 > qty - (1 - qty)",
		"s || code <> 'ab'",
		"amount > -1.5 and amount < 2.50",
		"price IS NULL OR price >= 0 AND price <= qty * 10 + 1",
		"qty % 2 = 0",
		"qty isnull or qty notnull",
	}
	for i, e := range exprs {
		mustExec(t, db, fmt.Sprintf(`CREATE TABLE t%d (qty integer, price bigint, amount numeric(10,2), code varchar(10), s text, ok boolean,
  CONSTRAINT c CHECK (%s))`, i, e))
	}
	got := inspect(t, d, db)
	want := got.Clone()
	for i, e := range exprs {
		tableOf(t, want, fmt.Sprintf("t%d", i)).Checks[0].Expr = e
	}
	d.Canonical(want)
	for i, e := range exprs {
		g, w := tableOf(t, got, fmt.Sprintf("t%d", i)).Checks[0].Expr, tableOf(t, want, fmt.Sprintf("t%d", i)).Checks[0].Expr
		if g != w {
			t.Errorf("check (%s):\n server: %s\n models: %s", e, g, w)
		}
		// The spelling is SQL the server takes back unchanged.
		mustExec(t, db, fmt.Sprintf("ALTER TABLE t%d ADD CONSTRAINT again CHECK (%s)", i, g))
	}
	again := inspect(t, d, db)
	for i := range exprs {
		ch := tableOf(t, again, fmt.Sprintf("t%d", i)).Checks
		if len(ch) != 2 || ch[0].Expr != ch[1].Expr {
			t.Errorf("t%d: the printed check reads back as %v", i, ch)
		}
	}
}

// TestNormalizeCheck: one spelling for the variants of an expression;
// what does not parse is left as it is.
func TestNormalizeCheck(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"(a > 0) AND (b > 0)", "a > 0 AND b > 0"},
		{"a > 0 and (b > 0 and c > 0)", "a > 0 AND b > 0 AND c > 0"},
		{"(a or b) and c", "(a OR b) AND c"},
		{"a or (b and c)", "a OR b AND c"},
		{"not (a and b)", "NOT (a AND b)"},
		{"a <= (b * 10 + 1)", "a <= (b * 10 + 1)"},
		{"a <= b * 10 + 1", "a <= (b * 10 + 1)"},
		{"a - (b - c) > 0", "(a - (b - c)) > 0"},
		{"a = '-1'::integer", "a = '-1'::integer"},
		{"a = -1", "a = '-1'::integer"},
		{"a>-1", "a > '-1'::integer"},
		{"a = 007", "a = 7"},
		{"a = ANY (ARRAY['x', 'y']::text[])", "a IN ('x', 'y')"},
		{"a <> ALL (ARRAY[1, 2])", "a NOT IN (1, 2)"},
		{"a like 'x%'", "a ~~ 'x%'"},
		{"A Is Not Null", "a IS NOT NULL"},
		{"(a + b)::text <> 'x'", "(a + b)::text <> 'x'"},
		{"CASE WHEN a > 0 THEN true ELSE false END", "CASE WHEN a > 0 THEN true ELSE false END"},
		{"a > 0 -- comment", "a > 0 -- comment"},
		{"a = 'it''s'", "a = 'it''s'"},
	} {
		if got := postgres.NormalizeCheck(c.in); got != c.want {
			t.Errorf("NormalizeCheck(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeCheckCasts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"COALESCE(a, 0::bigint) >= 0", "COALESCE(a, 0) >= 0"},
		{"a > 1.5::integer", "a > 1.5::integer"},
		{"a > '-1.5'::numeric", "a > '-1.5'::numeric"},
		{"a > '10000000000'::bigint", "a > '10000000000'::bigint"},
		{"a > 'x'::bpchar", "a > 'x'::bpchar"},
	} {
		if got := postgres.NormalizeCheck(c.in); got != c.want {
			t.Errorf("NormalizeCheck(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzNormalizeCheck: the spelling is stable (normalizing it again
// changes nothing) and nothing panics.
func FuzzNormalizeCheck(f *testing.F) {
	for _, s := range []string{"(a > 0) and (b < 1)", "a in (1, 2) or not b like 'x'", "a between -1 and 2", "a = ANY (ARRAY[1])",
		"(a - 1) * 2 > b::numeric(10,2)", "COALESCE(a, 0::bigint) >= 0", "x IS NOT NULL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := postgres.NormalizeCheck(s)
		if twice := postgres.NormalizeCheck(once); twice != once {
			t.Errorf("NormalizeCheck(%q) = %q, then %q", s, once, twice)
		}
	})
}
