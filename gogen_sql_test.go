package strata

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// TestGoSQL checks that each literal goSQL writes reads back as the SQL
// it was given, and is the form a reviewer reads: a raw string over
// several lines, quoted a line at a time only where a backquote rules a
// raw string out, escapes only where nothing else can say it.
func TestGoSQL(t *testing.T) {
	for _, tc := range []struct {
		sql, want string
	}{
		{"DROP VIEW cheap", `"DROP VIEW cheap"`},
		{`DROP VIEW "cheap"`, "`DROP VIEW \"cheap\"`"},
		{"CREATE VIEW v AS\n  SELECT 1", "`CREATE VIEW v AS\n  SELECT 1`"},
		{`x LIKE 'a\%'`, "`x LIKE 'a\\%'`"},
		{"DROP VIEW `cheap`", "\"DROP VIEW `cheap`\""},
		{"CREATE TABLE `t` (\n  `id` INT\n)", "\"CREATE TABLE `t` (\\n\" +\n\t\t\t\t\"  `id` INT\\n\" +\n\t\t\t\t\")\""},
		{"SELECT 1;\r\nSELECT 2", `"SELECT 1;\r\n" +` + "\n\t\t\t\t" + `"SELECT 2"`},
		{"SELECT 'a\x00b'", `"SELECT 'a\x00b'"`},
	} {
		got := goSQL(tc.sql)
		if got != tc.want {
			t.Errorf("goSQL(%q) = %s, want %s", tc.sql, got, tc.want)
		}
		expr, err := parser.ParseExpr(got)
		if err != nil {
			t.Errorf("goSQL(%q) = %s: not Go: %v", tc.sql, got, err)
			continue
		}
		var back strings.Builder
		ast.Inspect(expr, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Errorf("goSQL(%q): %s: %v", tc.sql, lit.Value, err)
				}
				back.WriteString(s)
			}
			return true
		})
		if back.String() != tc.sql {
			t.Errorf("goSQL(%q) = %s reads back as %q", tc.sql, got, back.String())
		}
	}
}
