package crashtest

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteMarkdown writes the results as markdown tables: the kill trials
// per dialect, the concurrency rounds, then every problem found.
func WriteMarkdown(w io.Writer, results []*Result) error {
	var b strings.Builder
	b.WriteString("| dialect | seed | trials | kills mid-run | disagreements | stuck | double applies | time |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %s |\n", r.Dialect, r.Seed, r.Trials, r.KilledMidRun,
			r.Disagreements, r.Stuck, r.DoubleApplies, r.Duration.Round(time.Second))
	}
	var rounds bool
	for _, r := range results {
		rounds = rounds || len(r.Rounds) > 0
	}
	if rounds {
		b.WriteString("\n| dialect | concurrent runners | exited 0 | revisions applied (want) | exactly once | consistent | ok |\n")
		b.WriteString("|---|---|---:|---:|---|---|---|\n")
		for _, r := range results {
			for _, rd := range r.Rounds {
				fmt.Fprintf(&b, "| %s | %s | %d/%d | %d (%d) | %s | %s | %s |\n", r.Dialect, rd.Name, rd.Succeeded, rd.Runners,
					rd.GotAt, rd.WantAt, yesNo(rd.ExactlyOnce), yesNo(rd.Consistent), yesNo(rd.OK()))
			}
		}
	}
	var probs []string
	for _, r := range results {
		probs = append(probs, r.Problems...)
		for _, rd := range r.Rounds {
			for _, p := range rd.Problems {
				probs = append(probs, fmt.Sprintf("%s concurrency %s: %s", r.Dialect, rd.Name, p))
			}
		}
	}
	if len(probs) > 0 {
		b.WriteString("\nProblems found:\n\n")
		for _, p := range probs {
			b.WriteString("- " + strings.ReplaceAll(p, "\n", " ") + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}
