package crashtest

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

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
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	trials := envInt(t, "STRATA_CRASHTEST_TRIALS", 20)
	seed := uint64(envInt(t, "STRATA_CRASHTEST_SEED", 1))
	reportOnly := os.Getenv("STRATA_CRASHTEST_REPORT_ONLY") == "1"
	bin := strataBinary(t)
	t.Cleanup(func() { os.RemoveAll(strings.TrimSuffix(bin, "/strata")) })
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
