package mysql

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

func TestNormalizeExpr(t *testing.T) {
	cases := []struct{ in, want string }{
		// MariaDB prints check clauses and generated expressions bare...
		{"`a` + `b`", "`a` + `b`"},
		{"json_valid(`j`)", "json_valid(`j`)"},
		// ...MySQL 8 in parentheses, with charset introducers.
		{"(`a` > 0)", "`a` > 0"},
		{"((`a` + `b`))", "`a` + `b`"},
		{"(`a` > 0) and (`b` > 0)", "(`a` > 0) and (`b` > 0)"},
		{"concat(`s`,_utf8mb4' x')", "concat(`s`,' x')"},
		{"(`s` <> _latin1'it''s _utf8mb4')", "`s` <> 'it''s _utf8mb4'"},
		{"(`b` = _binary'\\0')", "`b` = _binary'\\0'"},
		{"`my_col` = 'x'", "`my_col` = 'x'"},
		{"`_utf8mb4` = 'x'", "`_utf8mb4` = 'x'"},
		{"  (lower(`s`))  ", "lower(`s`)"},
		{"lcase(`s`) = 'x'", "lower(`s`) = 'x'"},
		{"`lcase` + 1", "`lcase` + 1"},
	}
	for _, tc := range cases {
		if got := normalizeExpr(tc.in); got != tc.want {
			t.Errorf("normalizeExpr(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestServerNormalizeExpr(t *testing.T) {
	mysql8, maria := parseServer("8.0.36"), parseServer("10.11.19-MariaDB")
	cases := []struct{ in, mysql, maria string }{
		// MySQL 8's CHECK_CLAUSE and GENERATION_EXPRESSION escape quotes.
		{`(` + "`name`" + ` <> _utf8mb4\'\')`, "`name` <> ''", ""},
		{`json_unquote(json_extract(` + "`doc`" + `,_utf8mb4\'$.name\'))`, "json_unquote(json_extract(`doc`,'$.name'))", ""},
		{`(` + "`s`" + ` = _utf8mb4\'it\\\'s\')`, "`s` = 'it\\'s'", ""},
		{"`a` + `b`", "`a` + `b`", "`a` + `b`"},
	}
	for _, tc := range cases {
		if got := mysql8.normalizeExpr(tc.in); got != tc.mysql {
			t.Errorf("MySQL 8: normalizeExpr(%q) = %q, want %q", tc.in, got, tc.mysql)
		}
		if tc.maria != "" {
			if got := maria.normalizeExpr(tc.in); got != tc.maria {
				t.Errorf("MariaDB: normalizeExpr(%q) = %q, want %q", tc.in, got, tc.maria)
			}
		}
	}
}

func TestUnqualify(t *testing.T) {
	cases := []struct{ in, want string }{
		{"select `db`.`t`.`id` AS `id` from `db`.`t`", "select `t`.`id` AS `id` from `t`"},
		// MySQL 8 spells joins the same way.
		{"select `db`.`t`.`id` AS `id` from (`db`.`t` join `db`.`u` on((`db`.`t`.`id` = `db`.`u`.`id`)))",
			"select `t`.`id` AS `id` from (`t` join `u` on((`t`.`id` = `u`.`id`)))"},
		// Not inside strings, not a column named like the database.
		{"select '`db`.x' AS `db` from `db`.`t`", "select '`db`.x' AS `db` from `t`"},
		{"select `other`.`t`.`a` AS `a` from `other`.`t`", "select `other`.`t`.`a` AS `a` from `other`.`t`"},
		{"select `db` from `t`", "select `db` from `t`"},
	}
	for _, tc := range cases {
		if got := unqualify(tc.in, "db"); got != tc.want {
			t.Errorf("unqualify(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLiteral(t *testing.T) {
	tm := time.Date(2024, 2, 29, 13, 4, 5, 123456789, time.FixedZone("x", 3600))
	cases := []struct {
		in   any
		want string
	}{
		{nil, "NULL"}, {true, "TRUE"}, {false, "FALSE"},
		{int8(-3), "-3"}, {int64(1) << 62, "4611686018427387904"}, {uint64(18446744073709551615), "18446744073709551615"},
		{1.5, "1.5"}, {float32(0.25), "0.25"}, {1e21, "1e+21"},
		{"it's a \\ test", `'it''s a \\ test'`},
		{[]byte{0, 0xab, 'A'}, "X'00AB41'"},
		{[]byte{}, "X''"},
		{tm, "'2024-02-29 12:04:05.123456'"},
	}
	for _, tc := range cases {
		got, err := literal(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("literal(%#v) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []any{struct{}{}, func() {}} {
		if _, err := literal(bad); err == nil {
			t.Errorf("literal(%T) gave no error", bad)
		}
	}
}

// TestMySQL8Spelling covers what only MySQL 8 reports or accepts, since
// the tests run against MariaDB.
func TestMySQL8Spelling(t *testing.T) {
	mysql8 := &Dialect{server: parseServer("8.0.36")}
	maria := &Dialect{server: parseServer("10.11.19-MariaDB")}
	old := &Dialect{server: parseServer("10.6.1-MariaDB")}

	// Defaults: MySQL prints the bare value and flags expressions.
	if got := mysql8.server.parseDefault(nullString("CURRENT_TIMESTAMP"), "datetime", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP"); got != (schema.Expr{SQL: "CURRENT_TIMESTAMP"}) {
		t.Errorf("MySQL 8 default: %v", got)
	}
	if got := mysql8.server.parseDefault(nullString("it's"), "varchar", ""); got != (schema.Literal{SQL: "'it''s'"}) {
		t.Errorf("MySQL 8 string default: %v", got)
	}
	if got := maria.server.parseDefault(nullString("current_timestamp()"), "datetime", ""); got != (schema.Expr{SQL: "CURRENT_TIMESTAMP"}) {
		t.Errorf("MariaDB default: %v", got)
	}
	if got := maria.server.parseDefault(nullString("NULL"), "varchar", ""); got != nil {
		t.Errorf("MariaDB NULL default: %v", got)
	}
	// ON UPDATE in EXTRA, both spellings.
	for _, extra := range []string{"on update current_timestamp()", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP"} {
		m := onUpdateRE.FindStringSubmatch(extra)
		if m == nil || canonicalExpr(m[1]) != (schema.Expr{SQL: "CURRENT_TIMESTAMP"}) {
			t.Errorf("on update in %q: %v", extra, m)
		}
	}

	// Checks: MySQL 8 drops a check with DROP CHECK, MariaDB with DROP
	// CONSTRAINT.
	drop := op.DropCheck{Table: "t", Check: &schema.Check{Name: "ck", Expr: "`a` > 0"}}
	for d, want := range map[*Dialect]string{mysql8: "ALTER TABLE `t` DROP CHECK `ck`", maria: "ALTER TABLE `t` DROP CONSTRAINT `ck`"} {
		got, err := d.Render(nil, drop)
		if err != nil || len(got) != 1 || got[0] != want {
			t.Errorf("%s: %q, %v; want %q", d.server.version, got, err, want)
		}
	}

	// Generated columns: MySQL 8 takes NOT NULL, MariaDB refuses it.
	c := &schema.Column{Name: "g", Type: schema.IntegerType{Bits: 32}, Generated: schema.Generated{Expr: "`a` + 1", Stored: true}}
	for d, want := range map[*Dialect]string{
		mysql8: "`g` INT GENERATED ALWAYS AS (`a` + 1) STORED NOT NULL",
		maria:  "`g` INT GENERATED ALWAYS AS (`a` + 1) STORED",
	} {
		if got, err := d.columnDef(c); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", d.server.version, got, err, want)
		}
	}

	// Functional key parts: MySQL 8.0.13 only.
	ix := &schema.Index{Name: "ix", Parts: []schema.IndexPart{{Expr: "lower(`s`)"}, {Column: "a", Desc: true}}}
	got, err := mysql8.Render(nil, op.CreateIndex{Table: "t", Index: ix})
	if err != nil || got[0] != "CREATE INDEX `ix` ON `t` ((lower(`s`)), `a` DESC)" {
		t.Errorf("MySQL 8 functional index: %q, %v", got, err)
	}
	if _, err := maria.Render(nil, op.CreateIndex{Table: "t", Index: ix}); err == nil {
		t.Error("MariaDB rendered a functional key part")
	}

	// RENAME COLUMN from MariaDB 10.5.2 and MySQL 8; CHANGE COLUMN before.
	from := &schema.Column{Name: "a", Type: schema.IntegerType{Bits: 32}, Nullable: true}
	to := from.Clone()
	to.Name = "b"
	rename := op.AlterColumn{Table: "t", From: from, To: to}
	for d, want := range map[*Dialect]string{
		mysql8: "ALTER TABLE `t` RENAME COLUMN `a` TO `b`",
		maria:  "ALTER TABLE `t` RENAME COLUMN `a` TO `b`",
		old:    "ALTER TABLE `t` RENAME COLUMN `a` TO `b`",
	} {
		if got, err := d.Render(nil, rename); err != nil || got[0] != want {
			t.Errorf("%s: %q, %v; want %q", d.server.version, got, err, want)
		}
	}
	if got, _ := (&Dialect{server: parseServer("10.4.3-MariaDB")}).Render(nil, rename); got[0] != "ALTER TABLE `t` CHANGE COLUMN `a` `b` INT NULL" {
		t.Errorf("MariaDB 10.4 rename: %q", got)
	}

	// DESC is kept from MariaDB 10.8 and MySQL 8; Canonical drops it on
	// older servers.
	for d, keep := range map[*Dialect]bool{mysql8: true, maria: true, old: false} {
		s := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{{Name: "a", Type: schema.IntegerType{Bits: 32}}},
			Indexes: []*schema.Index{{Name: "ix", Parts: []schema.IndexPart{{Column: "a", Desc: true}}}}}}}
		d.Canonical(s)
		if got := s.Tables[0].Indexes[0].Parts[0].Desc; got != keep {
			t.Errorf("%s: canonical DESC %t, want %t", d.server.version, got, keep)
		}
	}
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }

func TestQuoteColumns(t *testing.T) {
	cols := map[string]bool{"qty": true, "price": true, "lower": true}
	isColumn := func(s string) bool { return cols[strings.ToLower(s)] }
	cases := []struct{ in, want string }{
		{"qty > 0", "`qty` > 0"},
		{"`qty` > 0", "`qty` > 0"},
		{"QTY > 0 and price < 10", "`QTY` > 0 and `price` < 10"},
		{"lower(qty) = 'qty'", "lower(`qty`) = 'qty'"},
		{"t.qty > 0", "t.qty > 0"},
		{"other > 1e3", "other > 1e3"},
	}
	for _, tc := range cases {
		if got := quoteColumns(tc.in, isColumn); got != tc.want {
			t.Errorf("quoteColumns(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
