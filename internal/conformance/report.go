package conformance

import (
	"cmp"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/strata-go/strata/internal/oracle"
)

// Kind names a failure's kind: its stage and its message with names,
// literals and numbers taken out, so that failures with one cause group
// together ("apply: ERROR: syntax error at or near GENERATED (SQLSTATE
// 42601)", "not converged: table …: column …: type varchar(N), want
// text").
//
// A difference found by the oracle is grouped by its cause instead
// (oracle.Diff.Cause: the object's kind and what differs).
func Kind(r *Result) string {
	if r.Cause != "" {
		return r.Stage + ": " + r.Cause
	}
	return r.Stage + ": " + strings.TrimPrefix(Normalize(r.Message), r.Stage+": ")
}

var (
	doubleQuotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	singleQuotedRE = regexp.MustCompile(`'(?:[^'\\]|\\.|'')*'`)
	backQuotedRE   = regexp.MustCompile("`[^`]*`")
	codeRE         = regexp.MustCompile(`\b(?:SQLSTATE|Error) \w+(?: \(\w+\))?`)
	numberRE       = regexp.MustCompile(`\b\d+\b`)
	keywordRE      = regexp.MustCompile(`^[A-Z][A-Z_]+$`)
	nearRE         = regexp.MustCompile(`(near )["'](.*?)["']`)
	spacesRE       = regexp.MustCompile(`\s+`)
	ellipsesRE     = regexp.MustCompile(`…(?:[ ,]+…)+`)
)

// Normalize takes names, literals and numbers out of a message: a quoted
// string becomes …, except the first word of what a syntax error is
// "near", which is kept (syntax error at or near GENERATED); numbers
// become N, except error codes after SQLSTATE and Error.
func Normalize(msg string) string {
	// Keep the token a syntax error points at: near "GENERATED", near
	// 'GENERATED ALWAYS…'.
	msg = nearRE.ReplaceAllStringFunc(msg, func(s string) string {
		m := nearRE.FindStringSubmatch(s)
		if f := strings.Fields(strings.Trim(m[2], "(")); len(f) > 0 && keywordRE.MatchString(strings.ToUpper(f[0])) {
			return m[1] + strings.ToUpper(f[0])
		}
		return s
	})
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
	msg = ellipsesRE.ReplaceAllString(msg, "…")
	// "table …: x; table …: x" is one kind of x.
	var parts []string
	for _, part := range strings.Split(msg, "; ") {
		if !slices.ContainsFunc(parts, func(kept string) bool { return strings.HasSuffix(kept, part) }) {
			parts = append(parts, part)
		}
	}
	msg = strings.Join(parts, "; ")
	if len(msg) > 220 {
		msg = msg[:217] + "..."
	}
	return msg
}

// Group is the results of one kind.
type Group struct {
	Kind    string
	Results []*Result
}

// GroupBy groups results of status st by key, largest group first, then
// by key.
func GroupBy(results []*Result, st Status, key func(*Result) []string) []Group {
	m := map[string][]*Result{}
	for _, r := range results {
		if r.Status != st {
			continue
		}
		for _, k := range key(r) {
			m[k] = append(m[k], r)
		}
	}
	var out []Group
	for k, rs := range m {
		out = append(out, Group{Kind: k, Results: rs})
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(len(b.Results)-len(a.Results), strings.Compare(a.Kind, b.Kind))
	})
	return out
}

// ReportOptions are what the report says besides the results.
type ReportOptions struct {
	// Command is the command line that produced the report.
	Command string
	// Corpus is the corpus directory as given.
	Corpus string
	// Started is when the run began.
	Started time.Time
	// Total is the whole run's wall time.
	Total time.Duration
}

// LevelPasses returns how many of the cases that ran pass when SQLite's
// schema text is compared at level (the strict count is Count(Pass)).
func (s *Summary) LevelPasses(l oracle.Level) int {
	n := 0
	for _, r := range s.Results {
		if (r.Status == Pass || r.Status == Fail) && r.Levels[l] {
			n++
		}
	}
	return n
}

// SelfPasses returns how many of the cases that ran strata's own
// comparison of its inspections finds equal at every point judged.
func (s *Summary) SelfPasses() int {
	n := 0
	for _, r := range s.Results {
		if (r.Status == Pass || r.Status == Fail) && r.SelfOK {
			n++
		}
	}
	return n
}

// levelsText gives SQLite's pass counts at the looser levels, or "".
func (s *Summary) levelsText() string {
	if s.Dialect != "sqlite" {
		return ""
	}
	var parts []string
	for _, l := range oracle.Levels[1:] {
		parts = append(parts, fmt.Sprintf("%s %d", l, s.LevelPasses(l)))
	}
	return strings.Join(parts, ", ")
}

// Line is the one-line summary of a run.
func (s *Summary) Line() string {
	line := fmt.Sprintf("%-8s %-9s %5.1f%% passed (%d/%d run; %d eligible of %d, %d not applicable, %d skipped; strata's self-check %d)",
		s.Dialect, s.Mode, s.PassRate(), s.Count(Pass), s.Count(Pass)+s.Count(Fail),
		s.Eligible(), len(s.Results), s.Count(NotApplicable), s.Count(Skipped), s.SelfPasses())
	if lv := s.levelsText(); lv != "" {
		line += "; text compared at " + lv
	}
	return line + " in " + s.Duration.Round(100*time.Millisecond).String()
}

// WriteReport writes the Markdown report of the runs.
func WriteReport(w io.Writer, runs []*Summary, o ReportOptions) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("# Conformance: strata against the sqldef corpus\n\n")
	p("Generated by `internal/conformance` from the cases in %s (sqldef's YAML test cases, MIT; see its README).\n", o.Corpus)
	p("Started %s, took %s in all.\n\n", o.Started.UTC().Format("2006-01-02 15:04 UTC"), o.Total.Round(time.Second))
	p("```\n%s\n```\n\n", o.Command)
	p("**The numbers move.** The dialects are being extended while this is written; run the command again for today's figures. ")
	p("Each case gets fresh databases, dropped afterwards; nothing depends on the order of the cases.\n\n")
	p("%s\n", rulesText)

	p("## Summary\n\n")
	p("| dialect | server | mode | cases | eligible | skipped | not applicable | run | passed | failed | pass rate | strata's self-check | time |\n")
	p("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, s := range runs {
		p("| %s | %s | %s | %d | %d | %d | %d | %d | %d | %d | **%.1f%%** | %d | %s |\n",
			s.Dialect, s.Server.Version, s.Mode, len(s.Results), s.Eligible(), s.Count(Skipped), s.Count(NotApplicable),
			s.Count(Pass)+s.Count(Fail), s.Count(Pass), s.Count(Fail), s.PassRate(), s.SelfPasses(), s.Duration.Round(100*time.Millisecond))
	}
	p("\n")
	var sqliteRuns []*Summary
	for _, s := range runs {
		if s.Dialect == "sqlite" {
			sqliteRuns = append(sqliteRuns, s)
		}
	}
	if len(sqliteRuns) > 0 {
		p("SQLite's schema text compared at each level (the pass rate above is the strict one):\n\n")
		p("| mode | run |")
		for _, l := range oracle.Levels {
			p(" %s |", l)
		}
		p("\n|---|--:|")
		for range oracle.Levels {
			p("--:|")
		}
		p("\n")
		for _, s := range sqliteRuns {
			run := s.Count(Pass) + s.Count(Fail)
			p("| %s | %d |", s.Mode, run)
			for _, l := range oracle.Levels {
				n := s.LevelPasses(l)
				p(" %d (%.1f%%) |", n, pct(n, run))
			}
			p("\n")
		}
		p("\n")
	}

	for _, s := range runs {
		p("## %s, %s\n\n", s.Dialect, s.Mode)
		p("%s\n\n", s.Line())
		fails := GroupBy(s.Results, Fail, func(r *Result) []string { return []string{Kind(r)} })
		p("### Failures by kind (%d cases, %d kinds)\n\n", s.Count(Fail), len(fails))
		if len(fails) == 0 {
			p("None.\n\n")
		}
		for i, g := range fails {
			p("%d. **%s** — %d: %s\n", i+1, mdEscape(g.Kind), len(g.Results), caseNames(g.Results, 0))
			ex := g.Results[0]
			p("   <br>e.g. %s: %s", ex.Case.Name, mdCode(ex.Message))
			if len(ex.Detail) > 0 && ex.Stage != StagePanic {
				d := ex.Detail
				if len(d) > 3 {
					d = append(d[:3:3], fmt.Sprintf("(%d more)", len(ex.Detail)-3))
				}
				p("; %s", mdCode(strings.Join(d, " | ")))
			}
			p("\n")
		}
		p("\n")
		if s.Dialect == "sqlite" {
			loosest := oracle.Levels[len(oracle.Levels)-1]
			lf := GroupBy(s.Results, Fail, func(r *Result) []string {
				if k := r.LevelCauses[loosest]; k != "" {
					return []string{k}
				}
				return nil
			})
			p("### Failures at the %s level (%d cases)\n\n", loosest, len(s.Results)-s.Count(Ineligible)-s.Count(Skipped)-s.Count(NotApplicable)-s.LevelPasses(loosest))
			if len(lf) == 0 {
				p("None.\n\n")
			}
			for i, g := range lf {
				p("%d. **%s** — %d: %s\n", i+1, mdEscape(g.Kind), len(g.Results), caseNames(g.Results, 0))
			}
			if len(lf) > 0 {
				p("\n")
			}
		}
		na := GroupBy(s.Results, NotApplicable, func(r *Result) []string { return []string{Kind(r)} })
		p("### Not applicable: the server refused the case's own DDL (%d)\n\n", s.Count(NotApplicable))
		if len(na) == 0 {
			p("None.\n\n")
		}
		for _, g := range na {
			p("- %s — %d: %s\n", mdEscape(g.Kind), len(g.Results), caseNames(g.Results, 12))
		}
		if len(na) > 0 {
			p("\n")
		}
		sk := GroupBy(s.Results, Skipped, func(r *Result) []string { return r.Reasons })
		p("### Skipped: roles, grants and privileges, row-level security policies (%d cases)\n\n", s.Count(Skipped))
		if len(sk) == 0 {
			p("None.\n\n")
		}
		for _, g := range sk {
			p("- %s — %d: %s\n", g.Kind, len(g.Results), caseNames(g.Results, 12))
		}
		if len(sk) > 0 {
			p("\n")
		}
		in := GroupBy(s.Results, Ineligible, func(r *Result) []string { return r.Reasons })
		p("### Ineligible on this server or in this mode (%d)\n\n", s.Count(Ineligible))
		if len(in) == 0 {
			p("None.\n\n")
		}
		for _, g := range in {
			p("- %s — %d: %s\n", g.Kind, len(g.Results), caseNames(g.Results, 12))
		}
		if len(in) > 0 {
			p("\n")
		}
	}
	return nil
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

func caseNames(rs []*Result, limit int) string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Case.Name)
	}
	slices.Sort(names)
	if limit > 0 && len(names) > limit {
		names = append(names[:limit:limit], fmt.Sprintf("… %d more", len(rs)-limit))
	}
	return strings.Join(names, ", ")
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;", "`", "'").Replace(s)
}

// mdCode returns s as a Markdown code span, on one line and cut short.
func mdCode(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:297] + "..."
	}
	if strings.Contains(s, "`") {
		return "`` " + strings.ReplaceAll(s, "``", "` `") + " ``"
	}
	return "`" + s + "`"
}

var rulesText = `## How to read it

- **The judge is the databases' own tools, not strata** (issue 13): pg_dump on PostgreSQL, SHOW CREATE on
  MySQL/MariaDB, sqlite_schema's SQL text on SQLite (package internal/oracle; what is normalised, and why, is
  listed under "The oracle" below). strata's inspection cannot judge itself: an attribute it does not read
  would compare equal. Its own comparison (schema.Differences of its inspections, the judge before) is kept as
  an extra column, "strata's self-check": the cases it finds equal at every point the oracle judges.
- **Modes.** *roundtrip* (issue 3): apply a case's ` + "`desired`" + ` to a fresh database, inspect it, render the
  inspected schema (diff from an empty schema, each op rendered by the dialect), apply that to a second fresh
  database: the second database's dump must equal the first's. *converge* (issue 5): apply ` + "`current`" + `
  to a fresh database A and ` + "`desired`" + ` to a fresh database B; strata diffs A's schema against B's, renders, and
  applies that to A (in one transaction on PostgreSQL and SQLite); A's dump must then equal B's, a second strata
  diff must be empty, and the rendered inverse (diff.Inverse), applied to A, must give back A's dump from before.
  The first difference decides the stage a case fails at; on SQLite the run goes on after a strict difference,
  so that the looser levels of comparing the text are judged to the end as well.
- **Eligible.** A case is meant for our server unless: it is ` + "`offline`" + ` (sqldef checks only its output; never
  eligible); it has ` + "`error`" + ` (sqldef must refuse the change: not eligible for converge, eligible for roundtrip since its
  ` + "`desired`" + ` is an ordinary schema); its ` + "`flavor`" + ` excludes us (our flavors: mariadb for the mysql dialect, pgvector only if the
  extension is installed); or its ` + "`min_version`/`max_version`" + ` excludes our server's version. For mysqldef the versions
  are MySQL versions unless the case's flavor is mariadb (then the MariaDB version is compared). MariaDB 10.11 stands
  between MySQL 5.7 and 8.0 (` + "`-mysql-version 5.7-8.0`" + `, the default): ` + "`min_version`" + ` compares with 8.0 and ` + "`max_version`" + ` with
  5.7, so ` + "`min_version: '8.0'`" + ` and ` + "`max_version: '5.7'`" + ` cases run, ` + "`min_version: '8.0.16'`" + ` ones do not. Verified on this
  corpus: MariaDB has 8.0's CHECK constraints, expression defaults and JSON and keeps 5.7's integer display widths,
  the 8.0-gated cases' DDL applies on it (those that fail to apply name sqldef's own ` + "`mysqldef_test`" + ` database and
  are not applicable for that reason), and where a case needs a MySQL feature MariaDB lacks (functional and multi-valued
  indexes, among others) the corpus marks it ` + "`flavor: '!mariadb'`" + `. ` + "`-mysql-version 5.7`" + ` gives the
  stricter reading.
  ` + "`enable_drop: false`" + ` changes only what sqldef emits; strata has no such switch, so those cases converge to ` + "`desired`" + ` like the others.
- **Skipped.** Only cases whose SQL (comments and string literals aside) uses roles (CREATE/ALTER/DROP ROLE, USER or
  GROUP, SET ROLE: cluster-wide, they would outlive the case's database), grants and privileges (GRANT, REVOKE, ALTER
  DEFAULT PRIVILEGES) or row-level security policies (CREATE/ALTER/DROP POLICY, ROW LEVEL SECURITY). Each skip names its
  feature. Every other case runs, whether or not strata models what it uses: a kind of object strata does not manage
  (a domain, a partition, an event…) fails where the oracle shows it.
- **Not applicable.** The server refused the case's own DDL (` + "`current`" + ` or ` + "`desired`" + `), e.g. MySQL-only syntax on MariaDB;
  the server's message is given.
- **Pass rate** = passed / (passed + failed): the cases that ran. Failures are grouped by kind, largest first, with
  every case name and one example: for a difference in the oracle's dumps, the stage, the kind of object and what
  differs in its text as a few patterns read it (oracle.Diff.Cause: column types, order, defaults, index attributes…;
  a reading aid, the example shows the text); for other failures the stage plus the message with names, literals and
  numbers taken out. On SQLite the failures at the loosest level of comparing the text are grouped as well.

## The oracle

` + oracleText() + `

## Running it

` + "```" + `
go run ./internal/conformance/cmd/conformance [-corpus DIR] [-dialect sqlite|postgres|mysql|all] [-mode roundtrip|converge|all]
    [-run REGEXP] [-out FILE] [-json FILE] [-parallel N] [-reuse] [-timeout 2m] [-mysql-version 5.7-8.0] [-v]
` + "```" + `

- ` + "`-corpus`" + ` defaults to ../shared/corpora/sqldef beside the module root; nothing of the corpus is copied into the repository.
  The servers are the ones the tests use (internal/testdb: STRATA_TEST_POSTGRES, STRATA_TEST_MYSQL, else the local ones).
- One line per dialect and mode goes to standard output; ` + "`-out`" + ` writes this report, ` + "`-json`" + ` every result (stage, kind,
  full message, the statement that failed, all differences) for the dialect owners.
- **Time.** PostgreSQL dominates: every case creates and drops one or two databases, and on the development server
  CREATE DATABASE takes 0.6–1.2 s and DROP DATABASE 1.3–1.7 s, more when other jobs load the server. Measured on
  2026-11-25, all dialects and modes: 10 min 50 s at the default ` + "`-parallel 2`" + ` (PostgreSQL roundtrip 6 min 50 s,
  converge 3 min 48 s), 4 to 7 min at ` + "`-parallel 8`" + ` (2 to 3.5 min per PostgreSQL mode), and 1 min 30 s with
  ` + "`-parallel 8 -reuse`" + ` (38 s and 40 s for the PostgreSQL modes), compiling included. SQLite takes about a second
  per mode, MariaDB 4–25 s. ` + "`-reuse`" + ` resets a pooled PostgreSQL database instead of making a new one (every schema
  dropped, public made again as CREATE DATABASE makes it, so that pg_dump cannot tell the two apart; extensions go with
  the schema that holds them; a case that makes database-wide objects, such as event triggers, publications, casts or
  foreign servers, gets databases that are dropped instead of reused). The oracle adds a pg_dump (about 0.2 s) per
  database state judged: two per roundtrip case, four per converge case. Measured on 2026-12-08 with the oracle, on a
  machine shared with seven other jobs (load average about 20): ` + "`-parallel 2 -reuse`" + ` took 18 min (PostgreSQL 6 min
  roundtrip and 10 min converge, MariaDB 45 s and 65 s, SQLite 1 s each); ` + "`-reuse`" + ` and fresh databases gave the same
  verdict for all 330 PostgreSQL case runs compared (the Add…, Drop…, Comment…, CreateTable… and CreateIndex… cases).
  For CI: ` + "`-dialect all -mode all -parallel 8 -reuse`" + `.
- ` + "`go test ./internal/conformance`" + ` runs the whole SQLite corpus and the first cases of each server dialect in both modes
  when the corpus is there (skipping otherwise), checking that the harness runs and reports, not the pass rates.
`

// JSONResult is one result in the -json output.
type JSONResult struct {
	Dialect, Mode, Case, File, Status string
	Stage, Kind, Message              string   `json:",omitempty"`
	Detail, Reasons                   []string `json:",omitempty"`
	// Levels and LevelKinds: SQLite's verdict and failure kind at each
	// level of comparing the schema text (oracle.Level).
	Levels     map[string]bool   `json:",omitempty"`
	LevelKinds map[string]string `json:",omitempty"`
	// SelfOK: strata's own comparison of its inspections found no
	// difference.
	SelfOK bool
	Millis int64
}

// JSON flattens the runs' results for machine use.
func JSON(runs []*Summary) []JSONResult {
	var out []JSONResult
	for _, s := range runs {
		for _, r := range s.Results {
			j := JSONResult{Dialect: s.Dialect, Mode: string(s.Mode), Case: r.Case.Name, File: r.Case.File,
				Status: string(r.Status), Stage: r.Stage, Message: r.Message, Detail: r.Detail, Reasons: r.Reasons,
				SelfOK: r.SelfOK, Millis: r.Duration.Milliseconds()}
			for l, ok := range r.Levels {
				if j.Levels == nil {
					j.Levels, j.LevelKinds = map[string]bool{}, map[string]string{}
				}
				j.Levels[l.String()] = ok
				if k := r.LevelCauses[l]; k != "" {
					j.LevelKinds[l.String()] = k
				}
			}
			if r.Status == Fail || r.Status == NotApplicable {
				j.Kind = Kind(r)
			}
			out = append(out, j)
		}
	}
	return out
}

// oracleText lists, per dialect, what the oracle reads and what it
// normalises (oracle.Normalisations), for the report.
func oracleText() string {
	var b strings.Builder
	b.WriteString("Each database state judged is dumped by the database's own tool, then compared object by object:\n\n")
	b.WriteString("- **PostgreSQL**: `pg_dump --schema-only --no-owner --no-privileges` (owners and privileges left out: roles are\n")
	b.WriteString("  not part of the corpus that runs), split into pg_dump's entries.\n")
	b.WriteString("- **MySQL/MariaDB**: `SHOW CREATE TABLE` of every table, `SHOW CREATE VIEW`, `SHOW CREATE SEQUENCE`, `SHOW CREATE\n")
	b.WriteString("  TRIGGER` (with the trigger's table and action order from information_schema.TRIGGERS), `SHOW CREATE EVENT`,\n")
	b.WriteString("  `SHOW CREATE FUNCTION` and `SHOW CREATE PROCEDURE`.\n")
	b.WriteString("- **SQLite**: the `sql` column of sqlite_schema for every object.\n\n")
	b.WriteString("Normalised as little as possible; each normalisation and why:\n\n")
	for _, d := range []string{"postgres", "mysql", "sqlite"} {
		fmt.Fprintf(&b, "%s:\n\n", map[string]string{"postgres": "PostgreSQL", "mysql": "MySQL/MariaDB", "sqlite": "SQLite"}[d])
		for _, n := range oracle.Normalisations[d] {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n")
	}
	b.WriteString("Nothing else is normalised: column order, types as spelled, defaults, index attributes and constraint\n")
	b.WriteString("names all count. A difference in the order of objects counts too, where the tool's order follows from the\n")
	b.WriteString("catalog (pg_dump's).\n")
	return b.String()
}
