package sqlx_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/internal/sqlx"
)

func TestInteger(t *testing.T) {
	type id int32
	for v, want := range map[any]string{int8(-5): "-5", uint64(18446744073709551615): "18446744073709551615", id(7): "7", time.Duration(3): "3"} {
		if got, ok := sqlx.Integer(v); !ok || got != want {
			t.Errorf("Integer(%T %v) = %q, %t; want %q", v, v, got, ok, want)
		}
	}
	for _, v := range []any{1.5, "1", true, nil} {
		if _, ok := sqlx.Integer(v); ok {
			t.Errorf("Integer(%T) should not be an integer", v)
		}
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{`"a""b"`: `a"b`, "`x`": "x", "[y z]": "y z", "public.t": "t", `s."T"`: "T", "plain": "plain"} {
		if got := sqlx.Unquote(in); got != want {
			t.Errorf("Unquote(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestUnquoteQuotedPrefix(t *testing.T) {
	for in, want := range map[string]string{`"my.schema"."t.x"`: "t.x", "`db`.`t`": "t", `"a.b"`: "a.b"} {
		if got := sqlx.Unquote(in); got != want {
			t.Errorf("Unquote(%s) = %q, want %q", in, got, want)
		}
	}
}

// TestIdent checks the identifier pattern on the forms SQL text writes:
// the match must stop where the name ends.
func TestIdent(t *testing.T) {
	re := regexp.MustCompile(`^(?i:DROP TABLE )(` + sqlx.Ident + `)`)
	for in, want := range map[string]string{
		"DROP TABLE users;":          "users",
		"DROP TABLE _t$1 CASCADE":    "_t$1",
		"DROP TABLE café(x)":         "café",
		"DROP TABLE 表_1, b":          "表_1",
		`DROP TABLE "a ""b""" x`:     `"a ""b"""`,
		"DROP TABLE `db`.`t-1`;":     "`db`.`t-1`",
		`DROP TABLE public."T".x`:    `public."T"`,
		"DROP TABLE [dbo].[my t] go": "[dbo].[my t]",
	} {
		m := re.FindStringSubmatch(in)
		if m == nil || m[1] != want {
			t.Errorf("Ident in %q matched %q, want %q", in, m, want)
		}
	}
	for _, in := range []string{"DROP TABLE 1abc", "DROP TABLE $x", "DROP TABLE -x"} {
		if m := re.FindStringSubmatch(in); m != nil {
			t.Errorf("Ident in %q matched %q, want no match", in, m[1])
		}
	}
}

func TestStringEnd(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"'abc' x", 5},
		{"'it''s' x", 7},
		{`'a\'b' x`, 6},
		{"'open", 5},
		{`'trailing\`, 10},
	} {
		if got := sqlx.StringEnd(tc.s, 0); got != tc.want {
			t.Errorf("StringEnd(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestRefilledColumns(t *testing.T) {
	for stmt, want := range map[string]string{
		"DROP COLUMN `c`, CHANGE COLUMN `_strata_c` `c` INT NULL": "c",
		`DROP COLUMN "c", RENAME COLUMN "_strata_c" TO "c"`:       "c",
		"DROP COLUMN `c`, CHANGE COLUMN `d` `c` INT NULL":         "",
		"ADD COLUMN x INT, CHANGE `_strata_tmp` `y` VARCHAR(3)":   "y",
		"DROP COLUMN c": "",
	} {
		var got []string
		for name := range sqlx.RefilledColumns(stmt) {
			got = append(got, name)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("RefilledColumns(%q) = %v, want %q", stmt, got, want)
		}
	}
}
