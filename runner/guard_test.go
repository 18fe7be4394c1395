package runner_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
)

// bare is a dialect with none of the optional interfaces: the embedded
// interface value hides SQLite's EffectGuard.
type bare struct{ dialect.Dialect }

// TestNoGuardWithoutEffectOrPrediction: a dialect that neither judges by
// effect nor predicts gets no data-loss guard (strata does not fall back
// to reading the statements' spelling), and the runner says so once.
func TestNoGuardWithoutEffectOrPrediction(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open("sqlite://" + filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	revs, err := revision.Load(fstest.MapFS{
		"001_drop.sql": {Data: []byte("-- strata:revision 001\n-- strata:message drop\n\n-- migrate:up\nDROP TABLE t;\n\n-- migrate:down\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n")},
		"002_more.sql": {Data: []byte("-- strata:revision 002\n-- strata:parents 001\n-- strata:message more\n\n-- migrate:up\nCREATE TABLE u (id INTEGER);\n\n-- migrate:down\nDROP TABLE u;\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	g, err := revision.NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	r := &runner.Runner{DB: db, Dialect: bare{sqlite.Dialect{}}, Graph: g, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if _, err := r.Upgrade(ctx, "001"); err != nil {
		t.Fatalf("upgrade without a guard: %v", err)
	}
	if _, err := r.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "data-loss guard is unavailable"); n != 1 {
		t.Errorf("warned %d times, want once:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("the warning is not at level WARN:\n%s", logs.String())
	}
	// With SQLite's own guard the same drop stops.
	if _, err := db.ExecContext(ctx, "DROP TABLE strata_revisions; CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	guarded := &runner.Runner{DB: db, Dialect: sqlite.Dialect{}, Graph: g}
	var de *runner.DataLossError
	if _, err := guarded.Upgrade(ctx, "001"); !errors.As(err, &de) {
		t.Fatalf("upgrade with SQLite's guard: err = %v, want a data-loss error", err)
	}
}
