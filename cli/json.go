package cli

// The --json output of the commands that report. Each run with --json
// prints exactly one JSON object on standard output, snake_case names,
// lists as arrays (never null); a failed run prints the object with an
// "error" string (with what was established before the failure) and exits
// with the same code as without --json. The values are the library's own
// types (strata.State, strata.Result, revision.Revision…) with their json
// tags; docs/cli.md documents every field.

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/models"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
)

// jsonFlag gives cmd the --json flag.
func jsonFlag(cmd *cobra.Command, on *bool) {
	cmd.Flags().BoolVar(on, "json", false, jsonHelp)
}

const jsonHelp = "print the result as one JSON object (see docs/cli.md)"

// jsonError is the "error" member every --json object has when the run
// failed.
type jsonError struct {
	Error string `json:"error,omitempty"`
}

func (e *jsonError) setError(msg string) { e.Error = msg }

type errorSetter interface{ setError(string) }

// jsonFailed is the error of a --json run that failed after it had
// something to report: the object is printed with the error in it.
type jsonFailed struct {
	obj errorSetter
	err error
}

func (e *jsonFailed) Error() string { return e.err.Error() }
func (e *jsonFailed) Unwrap() error { return e.err }

// writeJSON prints v on the command's output, indented; SQL keeps its
// < > & as they are (no HTML escaping: nobody embeds this in a page).
func writeJSON(cmd *cobra.Command, v any) error {
	enc := json.NewEncoder(out(cmd))
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// reportJSON prints obj when err is nil; otherwise it returns err
// carrying obj, which printJSONError prints with the error's message.
func reportJSON(cmd *cobra.Command, obj errorSetter, err error) error {
	if err != nil {
		return &jsonFailed{obj: obj, err: err}
	}
	return writeJSON(cmd, obj)
}

// printJSONError prints, for a run of c with --json that failed with err,
// the object the run had (or one with only "error") with err's message as
// its "error"; without --json it does nothing. err is returned as is.
func printJSONError(c *cobra.Command, err error) error {
	if !wantJSON(c) {
		return err
	}
	// A usage error (exit 2) prints no JSON, as when the flags do not parse.
	var ue *UsageError
	if errors.As(err, &ue) {
		return err
	}
	var obj errorSetter = &jsonError{}
	var jf *jsonFailed
	if errors.As(err, &jf) {
		obj = jf.obj
	}
	obj.setError(err.Error())
	writeJSON(c, obj)
	return err
}

// list returns s, or an empty slice for nil, so that it encodes as [].
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// stateJSON is the output of current --json.
type stateJSON struct {
	// Database is the URL acted on, its password redacted.
	Database string `json:"database"`
	*strata.State
	jsonError
}

func newStateJSON(database string, st *strata.State) *stateJSON {
	if st == nil {
		st = &strata.State{}
	}
	c := *st
	c.Current = list(c.Current)
	c.Applied = list(c.Applied)
	c.Pending = list(c.Pending)
	c.Heads = list(c.Heads)
	c.HalfDone = list(c.HalfDone)
	return &stateJSON{Database: strata.Redact(database), State: &c}
}

// historyEntry is one revision in history --json.
type historyEntry struct {
	Revision *revision.Revision `json:"revision"`
	// State is "applied", "pending" or "half-done"; null without
	// --indicate-current, which alone reads the database (as the text
	// prints [applied] only with it).
	State *string `json:"state"`
	Head  bool    `json:"head"`
	// Current is null without --indicate-current, as State.
	Current *bool `json:"current"`
	// HalfDone says how far a half-done revision got, else null.
	HalfDone *runner.Progress `json:"half_done"`
}

type historyJSON struct {
	History []historyEntry `json:"history"`
	jsonError
}

// newHistoryJSON lists revs newest first; with indicate, where st (read
// from the database) says each stands. Without it st holds only the
// heads.
func newHistoryJSON(revs []*revision.Revision, st *strata.State, indicate bool) *historyJSON {
	applied := map[string]bool{}
	for _, a := range st.Applied {
		applied[a.Revision] = true
	}
	h := &historyJSON{History: []historyEntry{}}
	for i := len(revs) - 1; i >= 0; i-- {
		r := revs[i]
		e := historyEntry{Revision: r, Head: slices.Contains(st.Heads, r.ID)}
		if indicate {
			state := "pending"
			if applied[r.ID] {
				state = "applied"
			}
			current := slices.ContainsFunc(st.Current, func(c *strata.Revision) bool { return c.ID == r.ID })
			for _, p := range st.HalfDone {
				if p.Revision == r.ID {
					state, e.HalfDone = "half-done", &p
				}
			}
			e.State, e.Current = &state, &current
		}
		h.History = append(h.History, e)
	}
	return h
}

type headsJSON struct {
	Heads []*revision.Revision `json:"heads"`
	jsonError
}

// newHeadsJSON lists g's heads, as heads prints them.
func newHeadsJSON(g *revision.Graph) *headsJSON {
	h := &headsJSON{Heads: []*revision.Revision{}}
	for _, id := range g.Heads() {
		if r, ok := g.Get(id); ok {
			h.Heads = append(h.Heads, r)
		}
	}
	return h
}

// branchPoint is a revision with more than one child.
type branchPoint struct {
	Revision *revision.Revision `json:"revision"`
	Children []string           `json:"children"`
}

type branchesJSON struct {
	Branches []branchPoint `json:"branches"`
	jsonError
}

// newBranchesJSON lists g's branch points in graph order.
func newBranchesJSON(g *revision.Graph) *branchesJSON {
	b := &branchesJSON{Branches: []branchPoint{}}
	for _, r := range g.Revisions() {
		if kids := g.Children(r.ID); len(kids) > 1 {
			b.Branches = append(b.Branches, branchPoint{Revision: r, Children: kids})
		}
	}
	return b
}

type showJSON struct {
	// Revision is the one revision REV names; null when it names none
	// (current at base) or several (heads, base of a forest, current
	// after a fork).
	Revision *revision.Revision `json:"revision"`
	// Revisions lists every revision REV names, in order.
	Revisions []*revision.Revision `json:"revisions"`
	jsonError
}

func newShowJSON(revs []*revision.Revision) *showJSON {
	s := &showJSON{Revisions: list(revs)}
	if len(revs) == 1 {
		s.Revision = revs[0]
	}
	return s
}

type checkJSON struct {
	// OK is true when the database matches the models.
	OK bool `json:"ok"`
	// Differences says, one line per change, what migrate would write.
	Differences []string `json:"differences"`
	// Warnings name the objects strata does not manage, which were not
	// compared: "ok" says nothing about them.
	Warnings []string `json:"warnings"`
	jsonError
}

func newCheckJSON(de *strata.DiffError, plan *strata.Plan) *checkJSON {
	c := &checkJSON{OK: de == nil, Differences: []string{}, Warnings: []string{}}
	if plan != nil {
		c.Warnings = append(c.Warnings, plan.Unmanaged...)
	}
	if de != nil {
		for _, o := range de.Ops {
			c.Differences = append(c.Differences, o.String())
		}
	}
	return c
}

// moveJSON is the output of upgrade --json and downgrade --json.
type moveJSON struct {
	Database  string           `json:"database"`
	Direction runner.Direction `json:"direction"`
	Target    string           `json:"target"`
	// Results lists the revisions run, in order; on a failure, those that
	// completed before it.
	Results []strata.Result `json:"results"`
	// Failure details a revision that failed part-way, else null.
	Failure *runner.PartialError `json:"failure"`
	jsonError
}

func newMoveJSON(database string, dir runner.Direction, target string, results []strata.Result, err error) *moveJSON {
	m := &moveJSON{Database: strata.Redact(database), Direction: dir, Target: target, Results: list(results)}
	var pe *runner.PartialError
	if errors.As(err, &pe) {
		c := *pe
		c.Applied = list(c.Applied)
		c.Ran = list(c.Ran)
		m.Failure = &c
	}
	return m
}

// testJSON is the output of test --json: the library's TestReport.
type testJSON struct {
	*strata.TestReport
	jsonError
}

func newTestJSON(rep *strata.TestReport) *testJSON {
	if rep == nil {
		rep = &strata.TestReport{}
	}
	c := *rep
	c.Revisions = list(c.Revisions)
	return &testJSON{TestReport: &c}
}

type lintJSON struct {
	Findings []lint.Finding `json:"findings"`
	jsonError
}

// resolvedDatabase is the URL the flags resolve to, for the "database" member
// ("" when it does not resolve; the command has failed then anyway).
func (f *flags) resolvedDatabase() string {
	url, err := f.resolveDatabase()
	if err != nil {
		return ""
	}
	return url
}

func currentJSON(f *flags, st *strata.State) *stateJSON {
	return newStateJSON(f.resolvedDatabase(), st)
}

func moveResultJSON(f *flags, dir runner.Direction, target string, results []strata.Result, err error) *moveJSON {
	return newMoveJSON(f.resolvedDatabase(), dir, target, results, err)
}

// testResultJSON prints test's report; a failed test exits 1 with the
// report and its "error".
func testResultJSON(cmd *cobra.Command, rep *strata.TestReport, err error) error {
	if errors.Is(err, strata.ErrTestFailed) {
		err = &ExitError{Code: 1, Err: err}
	}
	if rep == nil {
		if err == nil {
			err = errors.New("test: no report")
		}
		return err
	}
	return reportJSON(cmd, newTestJSON(rep), err)
}

// lintResultJSON prints the findings; an active (not silenced) finding
// exits 1.
func lintResultJSON(cmd *cobra.Command, findings []lint.Finding) error {
	var err error
	if n := len(lint.Active(findings)); n > 0 {
		err = &ExitError{Code: 1, Err: fmt.Errorf("lint: %d finding(s)", n)}
	}
	return reportJSON(cmd, &lintJSON{Findings: list(findings)}, err)
}

// jsonAlone refuses --json with --sql (whose output is SQL: upgrade,
// downgrade, stamp) or --dry-run (whose report has no JSON form yet), as
// a usage error.
func jsonAlone(cmd *cobra.Command, asJSON, offline, dryRun bool) error {
	switch {
	case asJSON && offline:
		return &UsageError{Command: cmd.CommandPath(), Err: errors.New("--json and --sql do not go together: --sql prints SQL")}
	case asJSON && dryRun:
		return &UsageError{Command: cmd.CommandPath(), Err: errors.New("--json and --dry-run do not go together: a dry run reports in text only")}
	}
	return nil
}

// jsonCommands are the commands New gives --json; test and lint declare
// their own.
var jsonCommands = []string{
	"migrate", "revision", "merge", "upgrade", "downgrade", "current", "history",
	"heads", "branches", "show", "stamp", "repair", "check",
}

// addJSONFlags gives root's jsonCommands the --json flag, read inside
// each with wantJSON.
func addJSONFlags(root *cobra.Command) {
	for _, c := range root.Commands() {
		if slices.Contains(jsonCommands, c.Name()) && c.Flags().Lookup("json") == nil {
			c.Flags().Bool("json", false, jsonHelp)
		}
	}
}

// wantJSON reports whether the command runs with --json.
func wantJSON(cmd *cobra.Command) bool {
	on, _ := cmd.Flags().GetBool("json")
	return on
}

// writtenJSON is the output of migrate, revision and merge --json: the
// revision written and its file.
type writtenJSON struct {
	// File is the file written, as the text output names it
	// (DIR/FILE); "" when migrate wrote nothing.
	File string `json:"file"`
	// Revision is the revision written; null when migrate found no
	// changes.
	Revision *revision.Revision `json:"revision"`
	// Warnings (migrate) say what the change does to existing data and
	// which dropped and added columns may be renames.
	Warnings []string `json:"warnings"`
	// Findings (migrate) are the lint findings on the new revision.
	Findings []lint.Finding `json:"findings"`
	jsonError
}

func (f *flags) newWrittenJSON(rev *revision.Revision) *writtenJSON {
	w := &writtenJSON{Warnings: []string{}, Findings: []lint.Finding{}}
	if rev != nil {
		w.File, w.Revision = revisionPath(rev), rev
		if rev.Dir == "" {
			dir, _ := f.migrationsDir()
			w.File = dir + "/" + rev.Path
		}
	}
	return w
}

// migrateResultJSON prints what migrate wrote (or that it wrote nothing,
// with "revision": null), with the plan's warnings and the lint findings
// that the text output prints on standard error.
func migrateResultJSON(cmd *cobra.Command, f *flags, m *strata.Migrator, rev *revision.Revision, plan *strata.Plan, err error) error {
	if errors.Is(err, strata.ErrNoChanges) {
		rev, err = nil, nil
	}
	w := f.newWrittenJSON(rev)
	if plan != nil {
		w.Warnings = append(w.Warnings, plan.Warnings...)
		w.Warnings = append(w.Warnings, plan.Unmanaged...)
		for _, r := range plan.RenameCandidates {
			w.Warnings = append(w.Warnings, renameWarning(r))
		}
		if rev != nil && err == nil {
			w.Findings = list(m.LintRevision(rev, plan.Current))
		}
	}
	return reportJSON(cmd, w, err)
}

// renameWarning says that r's dropped and added columns may be a rename,
// as migrate warns on standard error and in its --json "warnings".
func renameWarning(r models.Rename) string {
	return fmt.Sprintf("column %s.%s is dropped and %s added with the same type; if it is a rename, run again with --rename %s.%s=%s",
		r.Table, r.From, r.To, r.Table, r.From, r.To)
}

// stampJSON is the output of stamp --json.
type stampJSON struct {
	Target string `json:"target"`
	// Recorded and Forgot are the revision ids added to and removed from
	// the version table.
	Recorded []string `json:"recorded"`
	Forgot   []string `json:"forgot"`
	jsonError
}

// repairJSON is the output of repair --json.
type repairJSON struct {
	// Repaired are the revision ids whose checksum (or, with --reset,
	// progress) was updated.
	Repaired []string `json:"repaired"`
	jsonError
}
