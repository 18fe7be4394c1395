package strata_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

type shelfWide struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:500"`
	Note  string `db:"note" strata:"size:20"`
	Code  string `db:"code" strata:"size:10"`
}

func (shelfWide) TableName() string { return "shelves" }

// shelfNarrow changes shelves four ways: title narrowed, note widened, a
// new column, a new index. MySQL makes of them one ALTER TABLE.
type shelfNarrow struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:5"`
	Note  string `db:"note" strata:"size:40"`
	Code  string `db:"code" strata:"size:10,index:idx_code"`
	Pages *int64 `db:"pages"`
}

func (shelfNarrow) TableName() string { return "shelves" }

// TestGuardNarrowingInCombinedAlter: a narrowing that is one clause of a
// combined ALTER TABLE is stopped, its rows whole; the generated file
// holds the warning and the lint finding above that statement.
func TestGuardNarrowingInCombinedAlter(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	url := testdb.URL(t, "mysql")
	dir := t.TempDir()
	long := "a much longer title"
	m := open(t, url, dir, shelfWide{})
	if _, err := m.Autogenerate(ctx, "shelves"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB().ExecContext(ctx, "INSERT INTO shelves (id, title, note, code) VALUES (1, ?, 'n', 'c'), (2, 'ok', 'n', 'c')", long); err != nil {
		t.Fatal(err)
	}
	m = open(t, url, dir, shelfNarrow{})
	rev, err := m.Autogenerate(ctx, "narrower titles and more")
	if err != nil {
		t.Fatal(err)
	}
	combined := -1
	for i, s := range rev.Up {
		if strings.Contains(s.SQL, "MODIFY COLUMN `title` VARCHAR(5)") {
			combined = i
		}
	}
	if combined < 0 || !strings.Contains(rev.Up[combined].SQL, "ADD COLUMN `pages`") || !strings.Contains(rev.Up[combined].SQL, "MODIFY COLUMN `note` VARCHAR(40)") {
		t.Fatalf("no combined ALTER TABLE holds the narrowing: %+v", rev.Up)
	}
	data, err := os.ReadFile(filepath.Join(dir, rev.Path))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", data)
	lines := strings.Split(string(data), "\n")
	line := rev.Up[combined].Line
	var above []string
	for i := line - 2; i >= 0 && strings.HasPrefix(lines[i], "-- ") && !strings.HasPrefix(lines[i], "-- migrate:"); i-- {
		above = append(above, lines[i])
	}
	joined := strings.Join(above, "\n")
	for _, want := range []string{"-- warning:", "title", "-- lint SL003"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the comments above the combined statement (line %d) lack %q:\n%s", line, want, data)
		}
	}

	_, err = m.Upgrade(ctx, "head")
	if got := lossesOf(t, err); len(got) != 1 || got[0] != "shelves.title 1 '"+long+"'" {
		t.Fatalf("losses = %v", got)
	}
	var title string
	if err := m.DB().QueryRowContext(ctx, "SELECT title FROM shelves WHERE id = 1").Scan(&title); err != nil || title != long {
		t.Fatalf("title after the stopped run: %q, %v", title, err)
	}
	var pages int
	if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'shelves' AND column_name = 'pages'").Scan(&pages); err != nil || pages != 0 {
		t.Fatalf("the stopped run added pages: %d, %v", pages, err)
	}
}
