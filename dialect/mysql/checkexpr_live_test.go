package mysql_test

import (
	"fmt"
	"testing"
)

// TestCheckExpressionsConverge: a check written as people write it and
// as the server stores it (MariaDB drops redundant parentheses, pushes
// NOT inward, prints IN lists its own way; MySQL 8 puts parentheses
// everywhere) compare equal after Canonical.
func TestCheckExpressionsConverge(t *testing.T) {
	db, d := fresh(t)
	exprs := []string{
		"(qty > 0) and (qty < 100)",
		"((qty > 0) and ((qty < 100)))",
		"qty > 0 and qty < 100 or qty = -1",
		"(qty > 0 or qty < -100) and qty <> 5",
		"qty in (1, 2, 3)",
		"code in ('a', 'b') and char_length(code) > 0",
		"not (qty > 1 and qty < 3) and -qty < 0 and qty + price * 2 > (qty - 1) * 3",
		"lower(code) != 'x' and code is not null",
		"code not like 'b%' or s not in ('p', 'q')",
		"not code like 'b%'",
		"not (code = 'q' or code like 'r%')",
		"price between -10 and 10000000000",
		"qty not between 1 and 5",
		"not (price is null)",
		"coalesce(price, 0) >= 0",
		"ok or qty = 0",
		"not ok",
		"not (ok and qty)",
		"ok",
		"(qty * 2) + 1 > qty - (1 - qty)",
		"qty % 2 = 0 && qty != 7",
		"price is null or price >= 0 and price <= qty * 10 + 1",
	}
	for i, e := range exprs {
		mustExec(t, db, fmt.Sprintf("CREATE TABLE t%d (qty int, price bigint, code varchar(10), s text, ok bool, CONSTRAINT c%d CHECK (%s))", i, i, e))
	}
	got := inspect(t, d, db)
	want := got.Clone()
	for i, e := range exprs {
		tb, _ := want.Table(fmt.Sprintf("t%d", i))
		tb.Checks[0].Expr = e
	}
	d.Canonical(want)
	for i, e := range exprs {
		g, _ := got.Table(fmt.Sprintf("t%d", i))
		w, _ := want.Table(fmt.Sprintf("t%d", i))
		if g.Checks[0].Expr != w.Checks[0].Expr {
			t.Errorf("check (%s):\n server: %s\n models: %s", e, g.Checks[0].Expr, w.Checks[0].Expr)
		}
		// The spelling is SQL the server takes back as the same check.
		mustExec(t, db, fmt.Sprintf("ALTER TABLE t%d ADD CONSTRAINT again%d CHECK (%s)", i, i, g.Checks[0].Expr))
	}
	again := inspect(t, d, db)
	for i := range exprs {
		tb, _ := again.Table(fmt.Sprintf("t%d", i))
		if len(tb.Checks) != 2 || tb.Checks[0].Expr != tb.Checks[1].Expr {
			t.Errorf("t%d: the printed check reads back as %v", i, tb.Checks)
		}
	}
}
