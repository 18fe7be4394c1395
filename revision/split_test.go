package revision_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata/revision"
)

// sqlSpace is white space to SQL (PostgreSQL's lexer).
const sqlSpace = " \t\n\r\f\v"

var update = flag.Bool("update", false, "rewrite the golden files of testdata/split")

// formatStatements renders Split's result as a golden file: each
// statement under a "=== line N" header, or the error.
func formatStatements(stmts []revision.Statement, err error) string {
	if err != nil {
		return "=== error\n" + err.Error() + "\n"
	}
	var b strings.Builder
	for _, s := range stmts {
		fmt.Fprintf(&b, "=== line %d\n%s\n", s.Line, s.SQL)
	}
	return b.String()
}

// TestSplitGolden splits each testdata/split/*.sql and compares the
// statements and their lines with the sibling .golden file. Run with
// -update to rewrite the golden files, and review their diff.
func TestSplitGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "split", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/split/*.sql files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sql")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			stmts, err := revision.Split(text, 1)
			if err == nil {
				checkStatements(t, text, 1, stmts)
			}
			got := formatStatements(stmts, err)
			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Split(%s) differs from %s:\n--- got\n%s--- want\n%s", file, golden, got, want)
			}
		})
	}
}

// checkStatements checks what holds for any text: statements are
// non-empty, trimmed pieces of text, in order, each starting on its
// line.
func checkStatements(t *testing.T, text string, firstLine int, stmts []revision.Statement) {
	t.Helper()
	pos := 0
	for i, s := range stmts {
		if s.SQL == "" || s.SQL != strings.Trim(s.SQL, sqlSpace) {
			t.Errorf("statement %d: %q is empty or not trimmed", i, s.SQL)
		}
		j := strings.Index(text[pos:], s.SQL)
		if j < 0 {
			t.Errorf("statement %d: %q is not in the text after offset %d", i, s.SQL, pos)
			continue
		}
		pos += j
		if line := firstLine + strings.Count(text[:pos], "\n"); s.Line != line {
			t.Errorf("statement %d: %q: line %d, want %d", i, s.SQL, s.Line, line)
		}
		pos += len(s.SQL)
	}
}

func TestSplitFirstLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		text      string
		firstLine int
		wantLines []int
		wantErr   string
	}{
		{"offset", "\nSELECT 1;\n\nSELECT\n2;", 10, []int{11, 13}, ""},
		{"zero", "SELECT 1;\nSELECT 2;", 0, []int{0, 1}, ""},
		{"error line", "SELECT 1;\n\n'open", 7, nil, "line 9: unterminated ' quote"},
		{"error line after multi-line quote", "SELECT 'a\nb';\n\"c\nd\";\n`open", 1, nil, "line 5: unterminated ` quote"},
		{"error line after block comment", "/*\n\n*/ SELECT $$\n", 1, nil, "line 3: unterminated dollar quote $$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stmts, err := revision.Split(tt.text, tt.firstLine)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Split error %v, want %q", err, tt.wantErr)
				}
				if stmts != nil {
					t.Errorf("Split returned statements with its error: %v", stmts)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, s := range stmts {
				lines = append(lines, s.Line)
			}
			if fmt.Sprint(lines) != fmt.Sprint(tt.wantLines) {
				t.Errorf("lines %v, want %v", lines, tt.wantLines)
			}
			checkStatements(t, tt.text, tt.firstLine, stmts)
		})
	}
}

func FuzzSplit(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "split", "*.sql"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), 1)
	}
	f.Add("SELECT 1; SELECT 2", 5)
	f.Add("CREATE TRIGGER t BEGIN SELECT 1; END; SELECT 2;", 0)
	f.Fuzz(func(t *testing.T, text string, firstLine int) {
		firstLine %= 1 << 20
		stmts, err := revision.Split(text, firstLine)
		if err != nil {
			if stmts != nil {
				t.Errorf("statements with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Errorf("error %q does not give the line", err)
			}
			return
		}
		last := firstLine + strings.Count(text, "\n")
		prev := firstLine
		for i, s := range stmts {
			if !strings.Contains(text, s.SQL) {
				t.Errorf("statement %d %q is not a substring of the input", i, s.SQL)
			}
			if s.SQL == "" || s.SQL != strings.Trim(s.SQL, sqlSpace) {
				t.Errorf("statement %d %q is empty or not trimmed", i, s.SQL)
			}
			if s.Line < prev || s.Line > last {
				t.Errorf("statement %d %q: line %d outside %d..%d", i, s.SQL, s.Line, prev, last)
			}
			prev = s.Line
		}
		// Splitting a statement again yields that statement.
		for i, s := range stmts {
			again, err := revision.Split(s.SQL, s.Line)
			if err != nil || len(again) != 1 || again[0] != s {
				t.Errorf("statement %d %q split again: %v, %v", i, s.SQL, again, err)
			}
		}
	})
}
