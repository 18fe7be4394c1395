package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/postgres"
)

func TestLex(t *testing.T) {
	show := func(tokens []postgres.Token) string {
		var parts []string
		for _, tk := range tokens {
			switch tk.Kind {
			case postgres.Word:
				parts = append(parts, "w:"+tk.Text)
			case postgres.Quoted:
				parts = append(parts, "q:"+tk.Value)
			case postgres.String:
				parts = append(parts, "s:"+tk.Value)
			default:
				parts = append(parts, tk.Text)
			}
		}
		return strings.Join(parts, " ")
	}
	for in, want := range map[string]string{
		`CREATE INDEX "My ""i""" ON t (a)`:            `w:CREATE w:INDEX q:My "i" w:ON w:t ( w:a )`,
		"SELECT 'it''s', E'a\\'b' -- c\n, 1":          `w:SELECT s:it''s , s:a\'b , w:1`,
		"/* a /* nested */ b */ DO $body$ x'$ $body$": `w:DO s: x'$ `,
		"UPDATE t SET a = $1, b = $$q$$":              `w:UPDATE w:t w:SET w:a = $ w:1 , w:b = s:q`,
		"SELECT a$b, x.y::int":                        `w:SELECT w:a$b , w:x . w:y : : w:int`,
	} {
		got, err := postgres.Lex(in)
		if err != nil || show(got) != want {
			t.Errorf("Lex(%q) = %s, %v; want %s", in, show(got), err, want)
		}
	}
	for _, in := range []string{"SELECT 'open", `SELECT "open`, "SELECT $q$ open", "/* /* */", "SELECT E'\\'"} {
		var le *postgres.LexError
		if _, err := postgres.Lex(in); !errors.As(err, &le) {
			t.Errorf("Lex(%q): err = %v, want a *LexError", in, err)
		}
	}
	if n, ok := (postgres.Token{Kind: postgres.Word, Text: "Users"}).Name(); !ok || n != "users" {
		t.Errorf("a bare name folds to lower case: %q", n)
	}
}
