package strata_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/revision"
)

// itemNoCode is Item without its code column.
type itemNoCode struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:100"`
}

func (itemNoCode) TableName() string { return "items" }

// TestMigrateNotesInFile: a revision that drops a column holding data
// carries the review warning and the lint finding as comments directly
// above the statement that drops it; the comments change neither the
// statements the file parses to nor how it applies, and the line a lint
// finding names is still the statement's.
func TestMigrateNotesInFile(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m := open(t, url, dir, Item{})
		if _, err := m.Autogenerate(ctx, "items"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.DB().ExecContext(ctx, "INSERT INTO items (title, code) VALUES ('a', 'x'), ('b', 'y')"); err != nil {
			t.Fatal(err)
		}
		// A Go revision of the same change (written into a copy of the
		// directory) carries the warning as a Go comment above the op.
		goDir := filepath.Join(t.TempDir(), "migrations") // the package's name
		if err := os.Mkdir(goDir, 0o755); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(goDir, e.Name()), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		mg, err := strata.Open(ctx, url, strata.WithDir(goDir), strata.WithModels(itemNoCode{}), strata.WithFormat("go"))
		if err != nil {
			t.Fatal(err)
		}
		defer mg.Close()
		goRev, err := mg.Autogenerate(ctx, "drop code")
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(filepath.Join(goDir, goRev.Path))
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := regexp.Match(`(?m)^\s*// warning: DATA LOSS: drop column "items"\."code": 2 value\(s\) will be lost\n\s*op\.DropColumn\("items", "code"\)`, src); !ok {
			t.Errorf("the Go revision lacks the warning above op.DropColumn:\n%s", src)
		}

		m2 := open(t, url, dir, itemNoCode{})
		plan, err := m2.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := m2.WriteRevision(ctx, "drop code", plan)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, rev.Path))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")

		// The warning and the finding stand above the statement that
		// drops the column, as plain comments.
		findings := m2.LintRevision(rev, plan.Current)
		var drop *lintAt
		for _, f := range findings {
			if f.Rule == "SL002" {
				_, num, _ := strings.Cut(f.Where, ":")
				n, err := strconv.Atoi(num)
				if err != nil {
					t.Fatalf("finding's place %q: %v", f.Where, err)
				}
				drop = &lintAt{line: n, message: f.Message}
			}
		}
		if drop == nil {
			t.Fatalf("no SL002 finding for the drop: %v\n%s", findings, data)
		}
		// The line the finding names holds the statement itself.
		var stmt revision.Statement
		for _, s := range rev.Up {
			if s.Line == drop.line {
				stmt = s
			}
		}
		if stmt.SQL == "" || !strings.HasPrefix(lines[drop.line-1], strings.SplitN(stmt.SQL, "\n", 2)[0]) {
			t.Fatalf("finding names line %d, which holds %q, not a statement of the revision:\n%s", drop.line, lines[drop.line-1], data)
		}
		// Above it, only comments, among them the warning and the finding.
		var above []string
		for i := drop.line - 2; i >= 0 && strings.HasPrefix(lines[i], "-- ") && !strings.HasPrefix(lines[i], "-- migrate:"); i-- {
			above = append(above, lines[i])
		}
		joined := strings.Join(above, "\n")
		for _, want := range []string{
			"-- warning: DATA LOSS: drop column",
			"2 value(s) will be lost",
			"-- lint SL002 drop column: " + drop.message,
		} {
			if !strings.Contains(joined, want) {
				t.Errorf("the comments above the drop (line %d) lack %q:\n%s", drop.line, want, data)
			}
		}
		for _, c := range above {
			if strings.HasPrefix(c, "-- strata:") {
				t.Errorf("comment %q reads as a directive", c)
			}
		}

		// Read back, the file holds the statements that were rendered,
		// each on the line Write gave it, and nothing of the comments.
		back, err := revision.Parse(rev.Path, data, revision.ForDialect(dialect))
		if err != nil {
			t.Fatalf("the file with its comments does not parse: %v\n%s", err, data)
		}
		same := func(a, b revision.Statement) bool {
			return a.Line == b.Line && strings.TrimRight(a.SQL, "; \n\t") == strings.TrimRight(b.SQL, "; \n\t")
		}
		// (The splitter leaves out a comment that opens a statement, as
		// SQLite's rebuild has in its downgrade: compare those by line.)
		sameLine := func(a, b revision.Statement) bool { return a.Line == b.Line }
		if !slices.EqualFunc(back.Up, rev.Up, same) || !slices.EqualFunc(back.Down, rev.Down, sameLine) {
			t.Fatalf("statements read back differ:\n%+v\nwant\n%+v", back.Up, rev.Up)
		}
		if back.Checksum != rev.Checksum {
			t.Fatalf("checksum read back %s, written %s", back.Checksum, rev.Checksum)
		}
		var upSQL []string
		for _, s := range back.Up {
			upSQL = append(upSQL, strings.TrimRight(s.SQL, "; \n\t"))
		}
		var planned []string
		for _, s := range plan.Up {
			planned = append(planned, strings.TrimRight(s, "; \n\t"))
		}
		if !slices.Equal(upSQL, planned) {
			t.Fatalf("upgrade statements read back:\n%q\nwant the rendered\n%q", upSQL, planned)
		}

		// It applies (forced, as it drops data), and the database then
		// matches the models; the recorded checksum is the file's.
		forced, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(itemNoCode{}), strata.WithForce())
		if err != nil {
			t.Fatal(err)
		}
		defer forced.Close()
		if _, err := forced.Upgrade(ctx, "head"); err != nil {
			t.Fatalf("upgrade through the commented file: %v", err)
		}
		if err := forced.Check(ctx); err != nil {
			t.Fatalf("check after the upgrade: %v", err)
		}
		m3 := open(t, url, dir, itemNoCode{})
		st, err := m3.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Pending) != 0 {
			t.Fatalf("pending after the upgrade: %v", st.Pending)
		}
		if _, err := m3.Downgrade(ctx, "-1"); err != nil {
			t.Fatalf("downgrade (the file's checksum is checked): %v", err)
		}
	})
}

type lintAt struct {
	line    int
	message string
}
