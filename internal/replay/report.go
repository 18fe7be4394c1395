package replay

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/strata-go/strata/internal/oracle"
)

// Heading is the heading of the report's section in docs/conformance.md.
const Heading = "## Replay of migration histories"

var (
	doubleQuotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	singleQuotedRE = regexp.MustCompile(`'(?:[^'\\]|\\.|'')*'`)
	backQuotedRE   = regexp.MustCompile("`[^`]*`")
	codeRE         = regexp.MustCompile(`\b(?:SQLSTATE|Error) \w+(?: \(\w+\))?`)
	numberRE       = regexp.MustCompile(`\b\d+\b`)
	spacesRE       = regexp.MustCompile(`\s+`)
	// scratchRE matches the names of the harness's own databases.
	scratchRE = regexp.MustCompile(`strata_test_[0-9a-f]{12}`)
	// functionRE matches PostgreSQL's "function name(argument types)".
	functionRE = regexp.MustCompile(`\bfunction [\w.]+\([^)]*\)`)
)

// scrub takes the harness's random database names out of a text.
func scrub(s string) string { return scratchRE.ReplaceAllString(s, "DB") }

// Normalize takes names, literals and numbers out of a message, so that
// failures with one cause group together: a quoted string becomes …,
// numbers become N, except error codes after SQLSTATE and Error.
func Normalize(msg string) string {
	msg = scrub(msg)
	msg = functionRE.ReplaceAllString(msg, "function …(…)")
	quoted := func(string) string { return "…" }
	msg = doubleQuotedRE.ReplaceAllStringFunc(msg, quoted)
	msg = singleQuotedRE.ReplaceAllStringFunc(msg, quoted)
	msg = backQuotedRE.ReplaceAllStringFunc(msg, quoted)
	var codes []string
	msg = codeRE.ReplaceAllStringFunc(msg, func(s string) string {
		codes = append(codes, s)
		return "\x00"
	})
	msg = numberRE.ReplaceAllString(msg, "N")
	for _, c := range codes {
		msg = strings.Replace(msg, "\x00", c, 1)
	}
	msg = spacesRE.ReplaceAllString(strings.TrimSpace(msg), " ")
	if len(msg) > 220 {
		msg = msg[:217] + "..."
	}
	return msg
}

// Kind is a failed step's kind: its stage and normalized message. A
// message that joins several errors with "; " (diff's, one per table)
// keeps each distinct normalized part once.
//
// A difference found by the oracle is grouped by its cause instead
// (oracle.Diff.Cause: the object's kind and what differs).
func Kind(r *StepResult) string {
	if r.Cause != "" {
		return r.Stage + ": " + r.Cause
	}
	msg := strings.TrimPrefix(r.Message, r.Stage+": ")
	var parts []string
	for _, part := range strings.Split(msg, "; ") {
		if n := Normalize(part); !slices.Contains(parts, n) {
			parts = append(parts, n)
		}
	}
	return r.Stage + ": " + strings.Join(parts, "; ")
}

// Group is the steps of one failure kind.
type Group struct {
	Kind  string
	Steps []*StepResult
}

// GroupBy groups steps by key (skipping those with key ""), largest
// group first.
func GroupBy(steps []*StepResult, key func(*StepResult) []string) []Group {
	m := map[string][]*StepResult{}
	for _, s := range steps {
		for _, k := range key(s) {
			if k != "" {
				m[k] = append(m[k], s)
			}
		}
	}
	var out []Group
	for k, ss := range m {
		out = append(out, Group{k, ss})
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(len(b.Steps), len(a.Steps)), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

func strataKey(r *StepResult) []string {
	if r.OK {
		return nil
	}
	return []string{Kind(r)}
}

func refKey(r *StepResult) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range r.RefErrors {
		k := Normalize(e.Message)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func inverseKey(r *StepResult) []string {
	if !r.InverseTested || r.InverseOK {
		return nil
	}
	if r.InverseCause != "" {
		return []string{r.InverseStage + ": " + r.InverseCause}
	}
	return []string{r.InverseStage + ": " + Normalize(r.InverseMsg)}
}

// SelfPasses counts the steps where strata's own comparison of its
// inspections (the judge before the oracle) found S equal to R and the
// project's file applied cleanly.
func (s *Summary) SelfPasses() int {
	n := 0
	for _, r := range s.Steps {
		if r.SelfOK && len(r.RefErrors) == 0 && (r.OK || r.Stage == StageDifferences) {
			n++
		}
	}
	return n
}

// LevelPasses counts the steps that pass when SQLite's schema text is
// compared at level l (the strict count is Count's passed).
func (s *Summary) LevelPasses(l oracle.Level) int {
	n := 0
	for _, r := range s.Steps {
		if len(r.RefErrors) > 0 {
			continue
		}
		if r.OK || r.Stage == StageDifferences && r.Levels[l] && r.SelfOK {
			n++
		}
	}
	return n
}

// Line is the one-line summary of a run.
func (s *Summary) Line() string {
	p, f, ref := s.Count()
	line := fmt.Sprintf("%s %s: %d/%d steps passed (strata failed %d, project's file refused %d; strata's self-check %d)",
		s.History, s.Dialect, p, len(s.Steps), f, ref, s.SelfPasses())
	if s.Dialect == "sqlite" {
		for _, l := range oracle.Levels[1:] {
			line += fmt.Sprintf("; %s %d", l, s.LevelPasses(l))
		}
	}
	if s.Inverse {
		ok, tested := s.InverseCount()
		line += fmt.Sprintf("; downgrade %d/%d", ok, tested)
	}
	return line + fmt.Sprintf(" in %s", s.Duration.Round(10*time.Millisecond))
}

// ReportOptions are what the report says about how it was made.
type ReportOptions struct {
	Command string
}

// WriteReport writes the section "Replay of migration histories".
func WriteReport(w io.Writer, runs []*Summary, o ReportOptions) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%s\n\n", Heading)
	p("Each step of a real project's migration history (../shared/corpora/histories) is applied to a\n")
	p("reference database R from the project's own up file; strata then inspects R and its own\n")
	p("database S, diffs S towards R, renders and applies the ops to S (in one transaction on\n")
	p("PostgreSQL and SQLite). The judge is the oracle, not strata: S's schema as the database's own\n")
	p("tool shows it (pg_dump, SHOW CREATE, sqlite_schema's text; see \"The oracle\" above) must equal\n")
	p("R's, and strata's second diff must be empty. After a failure S is rebuilt equal to R in the\n")
	p("oracle's eyes (from strata's DDL of R's schema where that gives R's dump, else as a copy of R:\n")
	p("PostgreSQL's CREATE DATABASE … TEMPLATE, SQLite's VACUUM INTO, R's statements replayed on\n")
	p("MySQL) so that failures do not cascade. A step passes when strata converged and the server took\n")
	p("every statement of the project's file. The downgrade column renders diff.Inverse of each passing\n")
	p("step's ops, applies it, and checks that S's dump is again what it was before the step (steps with\n")
	p("no ops are not counted). \"strata's self-check\" counts the steps strata's own comparison of its\n")
	p("inspections (the judge before the oracle) finds equal; on SQLite the steps that pass with the\n")
	p("schema text compared at the looser levels are given too.\n\n")
	if o.Command != "" {
		p("Command (from the module root):\n\n    %s\n\n", o.Command)
	}
	p("| history | dialect | server | steps | passed | strata failed | project's file refused | steps with no model change | downgrade restored | strata's self-check | SQLite text at whitespace / whitespace+quoting | time |\n")
	p("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range runs {
		pass, f, ref := s.Count()
		noop := 0
		for _, r := range s.Steps {
			if r.OK && len(r.Ops) == 0 {
				noop++
			}
		}
		inv := "not run"
		if s.Inverse {
			ok, tested := s.InverseCount()
			inv = fmt.Sprintf("%d/%d", ok, tested)
		}
		levels := "—"
		if s.Dialect == "sqlite" {
			levels = fmt.Sprintf("%d / %d", s.LevelPasses(oracle.Whitespace), s.LevelPasses(oracle.Quoting))
		}
		p("| %s | %s | %s | %d | %d | %d | %d | %d | %s | %d | %s | %s |\n", s.History, s.Dialect, mdEscape(s.Server),
			len(s.Steps), pass, f, ref, noop, inv, s.SelfPasses(), levels, s.Duration.Round(100*time.Millisecond))
	}
	p("\n")
	for _, s := range runs {
		pass, _, _ := s.Count()
		p("### %s on %s: %d/%d\n\n", s.History, s.Dialect, pass, len(s.Steps))
		groups := GroupBy(s.Steps, strataKey)
		if len(groups) == 0 {
			p("strata converged on every step.\n\n")
		} else {
			p("strata's failures by kind (count, kind, steps; an example statement or detail below each):\n\n")
			for _, g := range groups {
				p("- %d × %s: %s\n", len(g.Steps), mdCode(g.Kind), stepNames(g.Steps, 8))
				ex := g.Steps[0]
				p("  - e.g. %s: %s\n", ex.Step.Name, mdCode(oneLine(ex.Message)))
				if ex.Statement != "" {
					p("  - statement: %s\n", mdCode(ex.Statement))
				}
				for _, d := range limit(ex.Detail, 3) {
					p("  - %s\n", mdCode(oneLine(d)))
				}
				if len(ex.Ops) > 0 && ex.Stage != StageApply {
					p("  - ops: %s\n", mdCode(oneLine(strings.Join(limit(ex.Ops, 6), "; "))))
				}
			}
			p("\n")
		}
		if groups := GroupBy(s.Steps, refKey); len(groups) > 0 {
			p("Statements of the project's own files the server refused (strata is then compared with what R became):\n\n")
			for _, g := range groups {
				p("- %d × %s: %s\n", len(g.Steps), mdCode(g.Kind), stepNames(g.Steps, 8))
				for _, e := range g.Steps[0].RefErrors {
					if Normalize(e.Message) == g.Kind && e.Statement != "" {
						p("  - e.g. %s line %d: %s\n", g.Steps[0].Step.Name, e.Line, mdCode(e.Statement))
						break
					}
				}
			}
			p("\n")
		}
		if s.Inverse {
			if groups := GroupBy(s.Steps, inverseKey); len(groups) > 0 {
				p("Downgrade (diff.Inverse) failures by kind:\n\n")
				for _, g := range groups {
					p("- %d × %s: %s\n", len(g.Steps), mdCode(g.Kind), stepNames(g.Steps, 8))
					if st := g.Steps[0].InverseStmt; st != "" {
						p("  - statement: %s\n", mdCode(st))
					}
				}
				p("\n")
			}
		}
		resyncs := map[string]int{}
		for _, r := range s.Steps {
			if r.Resync != "" {
				k := r.Resync
				if i := strings.Index(k, " ("); i >= 0 {
					k = k[:i]
				}
				if strings.HasPrefix(k, "failed") {
					k = "failed"
				}
				resyncs[k]++
			}
		}
		if len(resyncs) > 0 {
			var parts []string
			for _, k := range []string{"ddl", "copy of R", "replay", "failed"} {
				if n := resyncs[k]; n > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", k, n))
				}
			}
			p("Re-syncs of S after a failure: %s.\n\n", strings.Join(parts, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func limit(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("… %d more", len(s)-n))
	}
	return s
}

func stepNames(ss []*StepResult, n int) string {
	var names []string
	for _, s := range ss {
		names = append(names, s.Step.Name)
	}
	return strings.Join(limit(names, n), ", ")
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func mdCode(s string) string {
	s = scrub(s)
	s = strings.ReplaceAll(s, "`", "'")
	s = mdEscape(s)
	return "`" + s + "`"
}

// CausesHeading starts the hand-written analysis at the end of the
// section, which ReplaceSection keeps when it rewrites the section.
const CausesHeading = "### Causes"

// ReplaceSection writes section into the Markdown file at path: in place
// of the part that starts with Heading (up to the next heading of the
// same level, or the end), or appended at the end. A subsection of the
// old one headed CausesHeading is carried over to the end of the new one. The file is read just
// before it is written, so that other sections written meanwhile stay.
func ReplaceSection(path, section string) error {
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(data)
	section = strings.TrimRight(section, "\n") + "\n"
	if i := strings.Index(text, "\n"+Heading+"\n"); i >= 0 || strings.HasPrefix(text, Heading+"\n") {
		start := i + 1
		if i < 0 {
			start = 0
		}
		rest := text[start+len(Heading):]
		end := len(text)
		tail := ""
		if j := strings.Index(rest, "\n## "); j >= 0 {
			end = start + len(Heading) + j + 1
			tail = "\n"
		}
		// A hand-written "### Causes" subsection stays, at the end.
		if k := strings.Index(text[start:end], "\n"+CausesHeading); k >= 0 && !strings.Contains(section, "\n"+CausesHeading) {
			section += "\n" + strings.TrimRight(text[start+k+1:end], "\n") + "\n"
		}
		text = text[:start] + section + tail + text[end:]
	} else {
		if text != "" {
			text = strings.TrimRight(text, "\n") + "\n\n"
		}
		text += section
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
