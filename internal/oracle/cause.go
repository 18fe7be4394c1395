package oracle

import (
	"regexp"
	"slices"
	"strings"
)

// Cause names the kind of a difference, for grouping failures in a
// report: the object's kind, and what differs in its text as far as a
// few patterns can tell ("TABLE: column types spelled differently",
// "INDEX: missing"). It is a heuristic for reading reports; the verdict
// is the difference itself.
func (d Diff) Cause() string {
	if d.Key == "" {
		return "order of objects"
	}
	kind := objectKind(d.Key)
	switch {
	case d.Missing:
		return kind + ": missing"
	case d.Extra:
		return kind + ": not wanted"
	}
	return kind + ": " + textCause(d.Got, d.Want, d.Level)
}

// objectKind is the kind part of a key: "TABLE", "INDEX", "FK
// CONSTRAINT", "SEQUENCE OWNED BY".
func objectKind(key string) string {
	fields := strings.Fields(key)
	var kind []string
	for _, f := range fields {
		if f != strings.ToUpper(f) || strings.ContainsAny(f, ".`\"") {
			break
		}
		kind = append(kind, f)
	}
	if len(kind) == len(fields) && len(kind) > 1 {
		kind = kind[:len(kind)-1] // the name was all capitals
	}
	if len(kind) == 0 {
		return "object"
	}
	return strings.Join(kind, " ")
}

var (
	tokenRE = regexp.MustCompile(`'(?:[^']|'')*'|"[^"]*"|` + "`[^`]*`" + `|\w+|::|\S`)
	typeRE  = regexp.MustCompile(`(?i)^(?:(?:tiny|small|medium|big)?int(?:eger)?\d*|serial\d*|bigserial|smallserial|bool(?:ean)?|bit|varchar|char(?:acter)?|varying|n?varchar|text|(?:tiny|medium|long)(?:text|blob)|blob|bytea|real|double|precision|float\d*|numeric|decimal|date|datetime|time(?:stamp)?(?:tz)?|interval|json|jsonb|uuid|year|enum|set|binary|varbinary|without|with|zone|unsigned|zerofill|money|inet|cidr|macaddr|xml|tsvector|oid)$`)
)

func tokens(s string) []string { return tokenRE.FindAllString(s, -1) }

// textCause classifies how two texts of one object differ.
func textCause(got, want string, level Level) string {
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(gl) > 1 && len(gl) == len(wl) {
		trim := func(ls []string) []string {
			out := make([]string, len(ls))
			for i, l := range ls {
				out[i] = strings.TrimRight(strings.TrimSpace(l), ",")
			}
			return out
		}
		g2, w2 := trim(gl), trim(wl)
		slices.Sort(g2)
		slices.Sort(w2)
		if slices.Equal(g2, w2) {
			return "same lines in another order (column, key or index order)"
		}
	}
	if level < Whitespace && Canon(got, Whitespace) == Canon(want, Whitespace) {
		return "whitespace or comments only"
	}
	if level < Quoting && Canon(got, Quoting) == Canon(want, Quoting) {
		return "identifier quoting (and whitespace) only"
	}
	g, w := Canon(got, Quoting), Canon(want, Quoting)
	if strings.EqualFold(g, w) {
		return "letter case only"
	}
	gt, wt := tokens(g), tokens(w)
	if slices.Equal(sortedFold(gt), sortedFold(wt)) {
		return "same words in another order (column, key or index order)"
	}
	// The differing middle: drop the common prefix and suffix.
	p := 0
	for p < len(gt) && p < len(wt) && strings.EqualFold(gt[p], wt[p]) {
		p++
	}
	gm, wm := localMiddle(gt[p:], wt[p:])
	both := append(slices.Clone(gm), wm...)
	has := func(words ...string) bool {
		for _, t := range both {
			for _, w := range words {
				if strings.EqualFold(t, w) {
					return true
				}
			}
		}
		return false
	}
	// The word before the difference says what it is in, when the
	// difference itself is a bare value.
	prev := ""
	if p > 0 {
		prev = strings.ToUpper(gt[p-1])
	}
	switch {
	case prev == "CONSTRAINT" && len(gm) == 1 && len(wm) == 1:
		return "constraint name"
	case len(gm) > 0 && len(wm) > 0 && slices.Equal(sortedFold(gm), sortedFold(wm)):
		return "same words in another order (column, key or index order)"
	case has("AUTO_INCREMENT", "IDENTITY", "START", "INCREMENT", "CACHE", "MINVALUE", "MAXVALUE", "CYCLE", "nextval") || prev == "START" || prev == "INCREMENT" || prev == "CACHE":
		return "identity, serial or sequence options"
	case has("INCLUDE", "NULLS", "FIRST", "LAST", "ASC", "DESC", "USING", "btree", "hash", "gin", "gist", "brin", "FULLTEXT", "SPATIAL", "INVISIBLE", "IGNORED", "VISIBLE") || strings.HasSuffix(prev, "_OPS"):
		return "index attributes (INCLUDE, order, NULLS, method, visibility)"
	case has("COLLATE") || prev == "COLLATE":
		return "collation"
	case has("COMMENT") || prev == "COMMENT" || prev == "IS":
		return "comment"
	case has("DEFERRABLE", "DEFERRED", "IMMEDIATE", "INITIALLY", "VALID"):
		return "constraint deferral or validation"
	case has("DEFAULT") || prev == "DEFAULT":
		return "default"
	case has("CHECK"):
		return "CHECK constraint (placement or text)"
	case has("PRIMARY", "NULL"):
		return "NOT NULL or primary key"
	case has("CONSTRAINT", "CHECK", "FOREIGN", "REFERENCES", "UNIQUE", "KEY", "ON", "CASCADE", "RESTRICT", "ACTION", "MATCH"):
		return "constraint or key"
	case has("GENERATED", "STORED", "VIRTUAL", "PERSISTENT"):
		return "generated column"
	case has("fillfactor", "deduplicate_items", "autovacuum_enabled", "toast_tuple_target", "parallel_workers", "fastupdate", "pages_per_range"):
		return "storage parameters (WITH …)"
	case has("ROW_FORMAT", "ENGINE", "CHARSET", "PARTITION", "STRICT", "WITHOUT", "ROWID", "WITH", "TABLESPACE", "KEY_BLOCK_SIZE", "STATS_PERSISTENT", "PACK_KEYS"):
		return "table options"
	case has("ARRAY", "ANY", "::"):
		return "expression as the server prints it (casts, ARRAY)"
	case len(gm) > 0 && len(wm) > 0 && allTypes(gm) && allTypes(wm):
		return "column type spelled differently"
	case len(gm) > 0 && len(wm) > 0 && (allTypes(gm) || allTypes(wm)) || isTypeSize(gm, wm, prev):
		return "column type or its size"
	case len(gm) == 0 || len(wm) == 0:
		return "text added or left out"
	}
	return "other text"
}

func sortedFold(ts []string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = strings.ToLower(t)
	}
	slices.Sort(out)
	return out
}

func allTypes(ts []string) bool {
	for _, t := range ts {
		if !typeRE.MatchString(t) && t != "(" && t != ")" && t != "," && !isNumber(t) {
			return false
		}
	}
	return true
}

func isNumber(t string) bool {
	if t == "" {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isTypeSize: the difference is a number right after a type's "(".
func isTypeSize(g, w []string, prev string) bool {
	return prev == "(" && len(g) > 0 && len(w) > 0 && isNumber(g[0]) && isNumber(w[0])
}

// localMiddle returns the tokens of g and w (both starting at their
// first difference) up to where they agree again for three tokens, the
// nearest such point first; or the first few of each when they do not
// within a dozen tokens.
func localMiddle(g, w []string) (gm, wm []string) {
	const window, reach = 3, 12
	agree := func(i, j int) bool {
		for k := 0; k < window; k++ {
			if i+k >= len(g) || j+k >= len(w) {
				return i+k >= len(g) && j+k >= len(w)
			}
			if !strings.EqualFold(g[i+k], w[j+k]) {
				return false
			}
		}
		return true
	}
	for sum := 1; sum <= 2*reach; sum++ {
		for i := max(0, sum-reach); i <= min(sum, reach); i++ {
			j := sum - i
			if i <= len(g) && j <= len(w) && agree(i, j) {
				return g[:i], w[:j]
			}
		}
	}
	return g[:min(len(g), 6)], w[:min(len(w), 6)]
}
