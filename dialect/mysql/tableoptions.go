package mysql

import (
	"slices"
	"strings"
)

// Table options besides ENGINE, CHARSET, COLLATE and COMMENT
// (schema.Table.Options): the ones a table was given, as
// information_schema.TABLES.CREATE_OPTIONS lists them and SHOW CREATE
// TABLE prints them, such as ROW_FORMAT=DYNAMIC, KEY_BLOCK_SIZE=8,
// STATS_PERSISTENT=1, and MariaDB's engine-defined options written with
// quotes (`PAGE_COMPRESSED`='1'). PARTITIONED, which CREATE_OPTIONS says
// of a partitioned table, is no option.
//
// The canonical spelling is name=value words, names upper case (a quoted
// engine option's as written), ROW_FORMAT's value upper case, in name
// order, separated by one space.

// canonicalOptions spells the options text s (CREATE_OPTIONS, or a
// schema's Options) canonically.
func canonicalOptions(s string) string {
	var out []string
	for _, w := range optionWords(s) {
		name, value, ok := strings.Cut(w, "=")
		if !ok {
			continue // "partitioned"
		}
		name = strings.TrimSpace(name)
		value = strings.TrimSpace(value)
		if !strings.HasPrefix(name, "`") {
			name = strings.ToUpper(name)
		}
		if name == "ROW_FORMAT" {
			value = strings.ToUpper(value)
		}
		out = append(out, name+"="+value)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(optionName(a), optionName(b)) })
	return strings.Join(out, " ")
}

// optionWords splits options text at spaces outside quotes.
func optionWords(s string) []string {
	var (
		out   []string
		start = -1
		quote byte
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '`' || c == '"':
			quote = c
			if start < 0 {
				start = i
			}
		case c == ' ' || c == '\t' || c == '\n':
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// optionName is the name of a canonical option word, quotes taken off.
func optionName(w string) string {
	name, _, _ := strings.Cut(w, "=")
	return strings.Trim(name, "`")
}

// optionMap maps each canonical option word's name, as written, to its
// value.
func optionMap(s string) (names []string, values map[string]string) {
	values = map[string]string{}
	for _, w := range optionWords(s) {
		name, value, _ := strings.Cut(w, "=")
		names = append(names, name)
		values[name] = value
	}
	return names, values
}

// optionResets are the values that take an option back to none, where
// DEFAULT does not (the server refuses DEFAULT for numbers it keeps).
var optionResets = map[string]string{
	"KEY_BLOCK_SIZE": "0", "MIN_ROWS": "0", "MAX_ROWS": "0", "AVG_ROW_LENGTH": "0",
	"CHECKSUM": "0", "DELAY_KEY_WRITE": "0",
}

// optionChanges returns the ALTER TABLE options that turn the options
// from into to: each option of to that from lacks or has otherwise, and
// each option of from that to lacks set back to none.
func optionChanges(from, to string) []string {
	var out []string
	fromNames, fromValues := optionMap(from)
	toNames, toValues := optionMap(to)
	for _, n := range toNames {
		if v, ok := fromValues[n]; !ok || v != toValues[n] {
			out = append(out, n+"="+toValues[n])
		}
	}
	for _, n := range fromNames {
		if _, ok := toValues[n]; ok {
			continue
		}
		reset, ok := optionResets[n]
		if !ok {
			reset = "DEFAULT"
		}
		out = append(out, n+"="+reset)
	}
	return out
}
