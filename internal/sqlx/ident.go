package sqlx

import "strings"

// Ident is a regular expression for one SQL identifier as SQL text writes
// it: bare, "quoted", `quoted` or [quoted], with an optional schema
// prefix. The runner's data-loss guard and lint read statements with it.
const Ident = "(?:(?:\"[^\"]+\"|`[^`]+`|\\[[^\\]]+\\]|[\\p{L}_][\\p{L}\\p{N}_$]*)\\.)?(?:\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`|\\[[^\\]]+\\]|[\\p{L}_][\\p{L}\\p{N}_$]*)"

// Unquote takes an identifier matched by Ident to its name: the schema
// prefix and the quotes off, doubled quotes undone.
func Unquote(s string) string {
	if end := firstPart(s); end < len(s) && s[end] == '.' {
		s = s[end+1:]
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '`' || s[0] == '[') {
		return strings.ReplaceAll(s[1:len(s)-1], string(s[0])+string(s[0]), string(s[0]))
	}
	return s
}

// firstPart returns the offset just past the first name of s, quoted or
// bare.
func firstPart(s string) int {
	if s == "" {
		return 0
	}
	closing := map[byte]byte{'"': '"', '`': '`', '[': ']'}[s[0]]
	if closing == 0 {
		if i := strings.IndexByte(s, '.'); i >= 0 {
			return i
		}
		return len(s)
	}
	for i := 1; i < len(s); i++ {
		if s[i] == closing {
			if closing != ']' && i+1 < len(s) && s[i+1] == closing {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}
