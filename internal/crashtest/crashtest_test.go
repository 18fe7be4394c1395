package crashtest

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		os.RemoveAll(filepath.Dir(binary))
	}
	testdb.Report()
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

func strataBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "strata-crashtest-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary, buildErr = Build(context.Background(), dir)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// TestCrashShort is the short crash test of ./scripts/test: 20 kill trials
// per dialect and one concurrency round of 16 runners, which must find no
// disagreement, stuck state or double apply. STRATA_CRASHTEST_TRIALS and
// STRATA_CRASHTEST_SEED change the trials; STRATA_CRASHTEST_REPORT_ONLY=1
// logs what was found without failing.
func TestCrashShort(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	trials := envInt(t, "STRATA_CRASHTEST_TRIALS", 20)
	seed := uint64(envInt(t, "STRATA_CRASHTEST_SEED", 1))
	reportOnly := os.Getenv("STRATA_CRASHTEST_REPORT_ONLY") == "1"
	bin := strataBinary(t)
	var (
		mu      sync.Mutex
		results []*Result
	)
	t.Run("dialects", func(t *testing.T) {
		for _, d := range testdb.Dialects {
			t.Run(d, func(t *testing.T) {
				t.Parallel()
				testdb.Skip(t, d)
				if d == "postgres" {
					if _, err := exec.LookPath("pg_dump"); err != nil {
						if os.Getenv("STRATA_TEST_REQUIRE_ALL") == "1" {
							t.Fatalf("crash test: pg_dump required as the oracle: %v", err)
						}
						t.Skipf("crash test: pg_dump, the oracle, is missing: %v", err)
					}
				}
				res, err := Run(t.Context(), Config{
					Dialect: d, Trials: trials, Seed: seed, Binary: bin, Concurrency: 16, FullCycleEvery: 5,
					Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
				})
				if err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				results = append(results, res)
				mu.Unlock()
				if res.Trials != trials {
					t.Errorf("ran %d trials, want %d", res.Trials, trials)
				}
				if res.Failed() {
					var b strings.Builder
					_ = WriteMarkdown(&b, []*Result{res})
					if reportOnly {
						t.Logf("%s broke the promise (STRATA_CRASHTEST_REPORT_ONLY=1, not failing):\n%s", d, b.String())
					} else {
						t.Errorf("%s broke the promise:\n%s", d, b.String())
					}
				}
			})
		}
	})
	var b strings.Builder
	_ = WriteMarkdown(&b, results)
	t.Logf("crash test, seed %d:\n%s", seed, b.String())
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestPlanTrials: a seed repeats the same trials, another seed draws
// others, and every choice is a valid move with the kill-moment mix
// documented.
func TestPlanTrials(t *testing.T) {
	const n, trials = 11, 2000
	a := planTrials(7, "mysql", n, trials)
	if b := planTrials(7, "mysql", n, trials); !slices.Equal(a, b) {
		t.Fatal("the same seed drew different trials")
	}
	if b := planTrials(8, "mysql", n, trials); slices.Equal(a, b) {
		t.Fatal("another seed drew the same trials")
	}
	if b := planTrials(7, "sqlite", n, trials); slices.Equal(a, b) {
		t.Fatal("two dialects drew the same trials")
	}
	var atOnce, after, ups int
	for i, c := range a {
		if c.from < 0 || c.from > n || c.to < 0 || c.to > n || (c.up && c.to <= c.from) || (!c.up && c.to >= c.from) {
			t.Fatalf("trial %d: invalid move %+v", i, c)
		}
		switch {
		case c.frac == 0:
			atOnce++
		case c.frac < 0:
			after++
		case c.frac > 1.2:
			t.Fatalf("trial %d: kill at %.2f of a clean run, past 1.2", i, c.frac)
		}
		if c.up {
			ups++
		}
	}
	for name, got := range map[string]int{"kills at once": atOnce, "kills after the end": after} {
		if got < trials/20 || got > trials*3/20 {
			t.Errorf("%s: %d of %d, want about 10%%", name, got, trials)
		}
	}
	if ups < trials*2/5 || ups > trials*3/5 {
		t.Errorf("upgrades: %d of %d, want about half", ups, trials)
	}
}

// TestCheckerCatches plants each kind of failure by hand in a database
// at head and checks that the checks report it: a row logged twice, a
// schema strata did not make, a revision applied without its parent, a
// version table that says less than the schema holds.
func TestCheckerCatches(t *testing.T) {
	t.Parallel()
	bin := strataBinary(t)
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := t.Context()
		h := &harness{cfg: Config{Dialect: dialect, Binary: bin}, log: slog.New(slog.DiscardHandler),
			tmp: t.TempDir(), partial: map[partialKey]snapshot{}, doubles: map[doubleKey]string{}}
		if err := h.prepare(ctx); err != nil {
			t.Fatal(err)
		}
		fresh := func(t *testing.T) {
			db, err := newDatabase(dialect, t.TempDir(), "plant")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.close() })
			h.db = db
			if _, err := h.mustStrata(ctx, db, h.migDir, "upgrade", "--force", "head"); err != nil {
				t.Fatal(err)
			}
			if err := h.expect(ctx, db, len(h.revs), "clean"); err != nil {
				t.Fatal(err)
			}
		}
		n := len(h.revs)
		t.Run("double apply", func(t *testing.T) {
			fresh(t)
			if err := h.db.exec(ctx, logRow("r05")); err != nil {
				t.Fatal(err)
			}
			tr := &trial{}
			h.checkDouble(ctx, tr, "planted")
			if len(tr.double) != 1 || !strings.Contains(tr.double[0], "r05 logged 2 times") {
				t.Errorf("double applies found: %q", tr.double)
			}
		})
		t.Run("schema", func(t *testing.T) {
			fresh(t)
			drop := "DROP INDEX ct_book_title"
			if dialect == "mysql" {
				drop = "DROP INDEX ct_book_title ON ct_volume"
			}
			if err := h.db.exec(ctx, drop); err != nil {
				t.Fatal(err)
			}
			if err := h.expect(ctx, h.db, n, "planted"); err == nil || !strings.Contains(err.Error(), "schema") {
				t.Errorf("expect = %v, want a schema difference", err)
			}
		})
		t.Run("data", func(t *testing.T) {
			fresh(t)
			if err := h.db.exec(ctx, "UPDATE ct_volume SET pages = pages + 1 WHERE id = 3"); err != nil {
				t.Fatal(err)
			}
			if err := h.expect(ctx, h.db, n, "planted"); err == nil || !strings.Contains(err.Error(), "data") {
				t.Errorf("expect = %v, want a data difference", err)
			}
		})
		t.Run("update run twice", func(t *testing.T) {
			fresh(t)
			if err := h.db.exec(ctx, "UPDATE ct_volume SET pages = pages + 1 WHERE id <= 2"); err != nil {
				t.Fatal(err)
			}
			what, ok := h.explainDouble(ctx, n, 8, n)
			if !ok || !strings.Contains(what, "up statement 2 of "+h.revs[9].ID) {
				t.Errorf("explainDouble = %q, %v; want revision 10's update run twice", what, ok)
			}
		})
		t.Run("down update run twice", func(t *testing.T) {
			fresh(t)
			if _, err := h.mustStrata(ctx, h.db, h.migDir, "downgrade", "--force", h.target(8)); err != nil {
				t.Fatal(err)
			}
			if err := h.db.exec(ctx, "UPDATE ct_volume SET pages = pages - 1 WHERE id <= 2"); err != nil {
				t.Fatal(err)
			}
			what, ok := h.explainDouble(ctx, 8, 8, n)
			if !ok || !strings.Contains(what, "down statement 2 of "+h.revs[9].ID) {
				t.Errorf("explainDouble = %q, %v; want revision 10's down update run twice", what, ok)
			}
		})
		t.Run("parent missing", func(t *testing.T) {
			fresh(t)
			if err := h.db.exec(ctx, "DELETE FROM strata_revisions WHERE revision = '"+h.revs[4].ID+"'"); err != nil {
				t.Fatal(err)
			}
			if err := h.checkVersions(ctx, n); err == nil || !strings.Contains(err.Error(), "without their parent") {
				t.Errorf("checkVersions = %v, want a revision without its parent", err)
			}
		})
		t.Run("version table behind", func(t *testing.T) {
			fresh(t)
			if err := h.db.exec(ctx, "DELETE FROM strata_revisions WHERE revision = '"+h.revs[n-1].ID+"'"); err != nil {
				t.Fatal(err)
			}
			tr := &trial{up: true, from: n - 1, to: n}
			h.checkState(ctx, tr)
			if len(tr.disagree) != 1 || !strings.Contains(tr.disagree[0], "expected the clean run at "+h.revs[n-2].ID) {
				t.Errorf("disagreements found: %q", tr.disagree)
			}
		})
	})
}
