package sqlx_test

import (
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
