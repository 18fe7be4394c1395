package mysql_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/mysql"
)

func kinds(tokens []mysql.Token) string {
	parts := make([]string, len(tokens))
	for i, t := range tokens {
		parts[i] = fmt.Sprintf("%s:%s", t.Kind, t.Value)
	}
	return strings.Join(parts, " ")
}

func TestLex(t *testing.T) {
	cases := []struct {
		sql, want string
		bad       bool
	}{
		{"DROP /* c */ TABLE t", "word:DROP word:TABLE word:t", false},
		{"DROP -- c\nTABLE t # more\n;", "word:DROP word:TABLE word:t punct:;", false},
		// "--x" is not a comment in MySQL: minus minus x.
		{"SELECT 1--1", "word:SELECT number:1 punct:- punct:- number:1", false},
		{"DROP TABLE `a``b`, `c;d`", "word:DROP word:TABLE quoted:a`b punct:, quoted:c;d", false},
		{`SELECT 'it''s', "say \"hi\"", 'a\nb', 'x\\'`, "word:SELECT string:it's punct:, string:say \"hi\" punct:, string:a\nb punct:, string:x\\", false},
		{`SELECT '\%', 'a -- not a comment', "/* nor this */"`, `word:SELECT string:\% punct:, string:a -- not a comment punct:, string:/* nor this */`, false},
		{"SELECT 1.5, .5, 1e-3, 0x1F, 0b101, 12", "word:SELECT number:1.5 punct:, number:.5 punct:, number:1e-3 punct:, number:0x1F punct:, number:0b101 punct:, number:12", false},
		{"SELECT t.5col FROM `db`.t", "word:SELECT word:t punct:. word:5col word:FROM quoted:db punct:. word:t", false},
		{"SELECT x'1F', _utf8mb4'é', N'n'", "word:SELECT string:1F punct:, string:é punct:, string:n", false},
		{"CREATE TABLE t (a int) /*!50100 ENGINE=InnoDB */", "word:CREATE word:TABLE word:t punct:( word:a word:int punct:) executable: ENGINE=InnoDB ", false},
		{"/*M!100100 DROP TABLE t */", "executable: DROP TABLE t ", false},
		{"SELECT 'open", "word:SELECT string:open", true},
		{"SELECT `open", "word:SELECT quoted:open", true},
		{"SELECT 1 /* open", "word:SELECT number:1", true},
	}
	for _, c := range cases {
		got, err := mysql.Lex(c.sql)
		if kinds(got) != c.want {
			t.Errorf("Lex(%q)\n got %s\nwant %s", c.sql, kinds(got), c.want)
		}
		var le *mysql.LexError
		if c.bad != errors.As(err, &le) {
			t.Errorf("Lex(%q): error %v, want an error: %v", c.sql, err, c.bad)
		}
	}

	// An executable comment's inside is SQL the server runs.
	got, err := mysql.LexExecutable("DROP /*!32302 TEMPORARY */ TABLE /*! `t` */")
	if err != nil || kinds(got) != "word:DROP word:TEMPORARY word:TABLE quoted:t" {
		t.Errorf("LexExecutable: %s, %v", kinds(got), err)
	}
	if src := "DROP /*!32302 TEMPORARY */ TABLE"; got[1].Text != src[got[1].Pos:got[1].Pos+len(got[1].Text)] {
		t.Errorf("LexExecutable: inner token at %d does not point into the statement", got[1].Pos)
	}
}

// TestLexStringsAsTheServerReadsThem asks the server what each string
// literal means and compares it with the lexer's value.
func TestLexStringsAsTheServerReadsThem(t *testing.T) {
	db, _ := fresh(t)
	for _, lit := range []string{`'it''s'`, `"say \"hi\""`, `'a\nb\tc'`, `'x\\'`, `'\%\_'`, `'\z\0'`, `"a''b"`, `'é'`} {
		tokens, err := mysql.Lex("SELECT " + lit)
		if err != nil || len(tokens) != 2 || tokens[1].Kind != mysql.String {
			t.Fatalf("Lex(%s): %s, %v", lit, kinds(tokens), err)
		}
		var server string
		if err := db.QueryRowContext(context.Background(), "SELECT "+lit).Scan(&server); err != nil {
			t.Fatalf("SELECT %s: %v", lit, err)
		}
		if server != tokens[1].Value {
			t.Errorf("%s: the server reads %q, the lexer %q", lit, server, tokens[1].Value)
		}
	}
}

// FuzzLex checks, for any input, that Lex does not panic, that its tokens
// are the input's text in order without overlap, that what lies between
// them is only whitespace and comments, and that a string token's value
// quoted again lexes back to the same value.
func FuzzLex(f *testing.F) {
	for _, s := range []string{
		"DROP /* c */ TABLE t", "SELECT 'a''b', \"c\\\"d\", `e``f` -- x\n#y\n",
		"/*!50100 ENGINE=InnoDB */", "SELECT 1e5, .5, 0x1F, t.5", "x'1F' _utf8'a'",
		"'unterminated", "/* open", "--", "-- ", "a--b", "1abc", "é`ü`",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		tokens, _ := mysql.Lex(sql)
		prev := 0
		for _, tok := range tokens {
			if tok.Pos < prev || tok.Pos+len(tok.Text) > len(sql) || sql[tok.Pos:tok.Pos+len(tok.Text)] != tok.Text {
				t.Fatalf("token %+v is not the input's text at its position (previous end %d)", tok, prev)
			}
			if tok.Text == "" {
				t.Fatalf("empty token %+v", tok)
			}
			gap := sql[prev:tok.Pos]
			if between, _ := mysql.Lex(gap); len(between) > 0 {
				t.Fatalf("between tokens, %q holds tokens %s", gap, kinds(between))
			}
			prev = tok.Pos + len(tok.Text)
			if tok.Kind == mysql.String && strings.HasPrefix(tok.Text, "'") && !strings.Contains(tok.Value, `\`) {
				again, err := mysql.Lex("'" + strings.ReplaceAll(tok.Value, "'", "''") + "'")
				if err != nil || len(again) != 1 || again[0].Value != tok.Value {
					t.Fatalf("string %q quoted again lexes as %s, %v", tok.Value, kinds(again), err)
				}
			}
		}
		if between, _ := mysql.Lex(sql[prev:]); len(between) > 0 {
			t.Fatalf("after the last token, %q holds tokens", sql[prev:])
		}
		if _, err := mysql.LexExecutable(sql); err != nil {
			var le *mysql.LexError
			if !errors.As(err, &le) {
				t.Fatalf("LexExecutable: unexpected error %v", err)
			}
		}
	})
}
