// Command conformance runs strata against the sqldef corpus and writes a
// Markdown report; see package internal/conformance and
// docs/conformance.md.
//
//	go run ./internal/conformance/cmd/conformance -dialect all -mode all -out docs/conformance.md
//
// It prints one line per dialect and mode. It exits 0 when the harness
// ran, whatever the pass rates, and 1 when it could not run.
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
	"regexp"
	"strings"
	"time"

	"github.com/strata-go/strata/internal/conformance"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		corpus   = fs.String("corpus", conformance.DefaultCorpus(), "the sqldef corpus `dir` (holding psqldef, mysqldef, sqlite3def)")
		dialects = fs.String("dialect", "all", "sqlite, postgres, mysql or all (comma-separated list allowed)")
		modes    = fs.String("mode", "all", "roundtrip, converge or all")
		runRE    = fs.String("run", "", "run only cases whose name matches this `regexp`")
		out      = fs.String("out", "", "write the Markdown report to `file`")
		jsonOut  = fs.String("json", "", "write every result as JSON to `file`")
		parallel = fs.Int("parallel", 2, "cases run at once per dialect")
		timeout  = fs.Duration("timeout", 2*time.Minute, "time limit of one case")
		mysqlVer = fs.String("mysql-version", "5.7-8.0", "MySQL `version`, or low-high range, a MariaDB server counts as for mysqldef's version bounds")
		verbose  = fs.Bool("v", false, "print a mark per case on standard error")
		reuse    = fs.Bool("reuse", false, "PostgreSQL: reset and reuse databases between cases instead of creating and dropping one per case (much faster)")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *corpus == "" {
		return fmt.Errorf("no -corpus given and no module root found to default from")
	}
	if _, err := os.Stat(*corpus); err != nil {
		return fmt.Errorf("corpus: %w (give the sqldef folder with -corpus)", err)
	}
	var re *regexp.Regexp
	if *runRE != "" {
		var err error
		if re, err = regexp.Compile(*runRE); err != nil {
			return fmt.Errorf("-run: %w", err)
		}
	}
	ds, err := pick(*dialects, conformance.Dialects)
	if err != nil {
		return fmt.Errorf("-dialect: %w", err)
	}
	var allModes []string
	for _, m := range conformance.Modes {
		allModes = append(allModes, string(m))
	}
	ms, err := pick(*modes, allModes)
	if err != nil {
		return fmt.Errorf("-mode: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	started := time.Now()
	var runs []*conformance.Summary
	for _, d := range ds {
		cases, err := conformance.Load(*corpus, d)
		if err != nil {
			return err
		}
		cases = conformance.Filter(cases, re)
		r := &conformance.Runner{Dialect: d, Parallel: *parallel, Timeout: *timeout, MySQLEquivalent: *mysqlVer, Reuse: *reuse}
		if *verbose {
			r.Progress = stderr
		}
		for _, m := range ms {
			sum, err := r.Run(ctx, cases, conformance.Mode(m))
			if *verbose {
				fmt.Fprintln(stderr)
			}
			if err != nil {
				return fmt.Errorf("%s %s: %w", d, m, err)
			}
			fmt.Fprintln(stdout, sum.Line())
			runs = append(runs, sum)
		}
	}
	opts := conformance.ReportOptions{
		Command: "go run ./internal/conformance/cmd/conformance " + strings.Join(args, " "),
		Corpus:  *corpus,
		Started: started,
		Total:   time.Since(started),
	}
	if *out != "" {
		var buf bytes.Buffer
		if err := conformance.WriteReport(&buf, runs, opts); err != nil {
			return err
		}
		// The replay of migration histories (internal/replay) keeps its own
		// section at the end of the same file: carry it over.
		if old, err := os.ReadFile(*out); err == nil {
			if i := bytes.Index(old, []byte(replaySection)); i >= 0 {
				buf.WriteString("\n")
				buf.Write(old[i+1:])
			}
		}
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(conformance.JSON(runs), "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// pick parses a comma-separated choice among valid, "all" meaning every one.
func pick(s string, valid []string) ([]string, error) {
	if s == "all" {
		return valid, nil
	}
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		ok := false
		for _, w := range valid {
			ok = ok || v == w
		}
		if !ok {
			return nil, fmt.Errorf("%q is not one of %s or all", v, strings.Join(valid, ", "))
		}
		out = append(out, v)
	}
	return out, nil
}

// replaySection starts the section internal/replay writes.
const replaySection = "\n## Replay of migration histories"
