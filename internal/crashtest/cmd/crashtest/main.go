// Command crashtest SIGKILLs strata's upgrade and downgrade at seeded
// random moments on every dialect asked for and checks that schema, data
// and version table agree and that a rerun converges (see package
// crashtest). It prints a markdown table of the results (also to -out)
// and exits 1 when any trial disagreed, got stuck or applied twice.
//
//	go run ./internal/crashtest/cmd/crashtest -dialects sqlite,postgres,mysql -trials 200 -seed 1
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/strata-go/strata/internal/crashtest"
)

func main() {
	os.Exit(run())
}

func run() int {
	dialects := flag.String("dialects", "sqlite,postgres,mysql", "comma-separated dialects")
	trials := flag.Int("trials", 200, "kill trials per dialect")
	seed := flag.Uint64("seed", 1, "seed of the trials' choices")
	runners := flag.Int("concurrency", 16, "runners of the concurrency rounds (0: none)")
	full := flag.Int("full-cycle", 1, "every N trials the rerun also runs downgrade base and upgrade head (0: never)")
	outPath := flag.String("out", "", "also write the markdown table to this file")
	verbose := flag.Bool("v", false, "log each trial to standard error")
	prebuilt := flag.String("strata", "", "use this strata binary instead of building ./cmd/strata")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	tmp, err := os.MkdirTemp("", "strata-crashtest-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "crashtest:", err)
		return 2
	}
	defer os.RemoveAll(tmp)
	bin := *prebuilt
	if bin == "" {
		if bin, err = crashtest.Build(ctx, tmp); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	started := time.Now().UTC()
	var results []*crashtest.Result
	code := 0
	for _, d := range strings.Split(*dialects, ",") {
		res, err := crashtest.Run(ctx, crashtest.Config{
			Dialect: strings.TrimSpace(d), Trials: *trials, Seed: *seed, Binary: bin,
			Concurrency: *runners, FullCycleEvery: *full, Logger: logger,
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "crashtest: %s: %v\n", d, err)
			code = 2
		}
		if res != nil {
			results = append(results, res)
			if res.Failed() && code == 0 {
				code = 1
			}
		}
	}
	var w io.Writer = os.Stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "crashtest:", err)
			return 2
		}
		defer f.Close()
		w = io.MultiWriter(os.Stdout, f)
	}
	fmt.Fprintf(w, "Run %s UTC, took %s: `crashtest %s`\n\n", started.Format("2006-01-02 15:04"),
		time.Since(started).Round(time.Second), strings.Join(os.Args[1:], " "))
	if err := crashtest.WriteMarkdown(w, results); err != nil {
		fmt.Fprintln(os.Stderr, "crashtest:", err)
		return 2
	}
	return code
}
