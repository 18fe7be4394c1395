// Command replay replays real projects' migration histories through
// strata and writes a Markdown report; see package internal/replay and
// docs/conformance.md.
//
//	go run ./internal/replay/cmd/replay -inverse -doc docs/conformance.md
//
// It prints one line per history and dialect. It exits 0 when the harness
// ran, whatever the results, and 1 when it could not run.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/strata-go/strata/internal/replay"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		dir      = fs.String("histories", replay.DefaultDir(), "the histories `dir` (one folder per history)")
		dialects = fs.String("dialect", "all", "sqlite, postgres, mysql or all (comma-separated list allowed)")
		history  = fs.String("history", "", "replay only the history of this `name` (comma-separated list allowed)")
		out      = fs.String("out", "", "write the Markdown section to `file`")
		jsonOut  = fs.String("json", "", "write every step's result as JSON to `file`")
		doc      = fs.String("doc", "", "replace (or append) the section \""+strings.TrimPrefix(replay.Heading, "## ")+"\" in the Markdown `file`")
		inverse  = fs.Bool("inverse", false, "also check each passing step's generated downgrade (diff.Inverse)")
		parallel = fs.Int("parallel", 1, "histories × dialects replayed at once")
		timeout  = fs.Duration("timeout", 2*time.Minute, "time limit of one step")
		verbose  = fs.Bool("v", false, "print a mark per step on standard error")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("no -histories given and no module root found to default from")
	}
	if _, err := os.Stat(*dir); err != nil {
		return fmt.Errorf("histories: %w (give the folder with -histories)", err)
	}
	all, err := replay.Find(*dir)
	if err != nil {
		return err
	}
	wantD := map[string]bool{}
	for _, d := range strings.Split(*dialects, ",") {
		d = strings.TrimSpace(d)
		if d == "all" {
			for _, d := range replay.Dialects {
				wantD[d] = true
			}
			continue
		}
		if !slices.Contains(replay.Dialects, d) {
			return fmt.Errorf("-dialect: unknown %q; want sqlite, postgres, mysql or all", d)
		}
		wantD[d] = true
	}
	wantH := map[string]bool{}
	if *history != "" {
		for _, h := range strings.Split(*history, ",") {
			wantH[strings.TrimSpace(h)] = true
		}
	}
	var hs []*replay.History
	for _, h := range all {
		if wantD[h.Dialect] && (len(wantH) == 0 || wantH[h.Name]) {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		return fmt.Errorf("no history in %s matches -history %q -dialect %q", *dir, *history, *dialects)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	runs := make([]*replay.Summary, len(hs))
	errs := make([]error, len(hs))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		sem  = make(chan struct{}, max(1, *parallel))
		prog io.Writer
	)
	if *verbose {
		prog = stderr
	}
	for i, h := range hs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			r := &replay.Runner{Dialect: h.Dialect, Inverse: *inverse, StepTimeout: *timeout, Progress: prog}
			s, err := r.Run(ctx, h)
			mu.Lock()
			defer mu.Unlock()
			if prog != nil {
				fmt.Fprintln(stderr)
			}
			if err != nil {
				errs[i] = fmt.Errorf("%s %s: %w", h.Name, h.Dialect, err)
				fmt.Fprintln(stdout, errs[i])
				return
			}
			runs[i] = s
			fmt.Fprintln(stdout, s.Line())
		})
	}
	wg.Wait()
	var done []*replay.Summary
	for i, s := range runs {
		if s != nil {
			done = append(done, s)
		} else if errs[i] != nil && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if len(done) == 0 {
		return fmt.Errorf("no history could be replayed: %v", errs[0])
	}
	cmd := "go run ./internal/replay/cmd/replay"
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "histories" {
			cmd += " -histories " + *dir
		}
	})
	if *inverse {
		cmd += " -inverse"
	}
	if *dialects != "all" {
		cmd += " -dialect " + *dialects
	}
	if *history != "" {
		cmd += " -history " + *history
	}
	cmd += " -doc docs/conformance.md"
	var b bytes.Buffer
	if err := replay.WriteReport(&b, done, replay.ReportOptions{Command: cmd}); err != nil {
		return err
	}
	if *out != "" {
		if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if *jsonOut != "" {
		data, err := json.MarshalIndent(done, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, data, 0o644); err != nil {
			return err
		}
	}
	if *doc != "" {
		if err := replay.ReplaceSection(*doc, b.String()); err != nil {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
