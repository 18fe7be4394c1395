package models

import (
	"fmt"
	"strings"
)

// tagOption is one key[:value] of a `strata` tag.
type tagOption struct {
	Key, Value string
	HasValue   bool
}

// parseTag splits a `strata` struct tag into its options. Options are
// separated by commas outside single quotes and parentheses, so defaults
// such as 'a,b' or (1, 2) survive.
func parseTag(tag string) ([]tagOption, error) {
	var (
		out   []tagOption
		start int
		depth int
		quote bool
	)
	add := func(part string) error {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil
		}
		key, value, has := strings.Cut(part, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		if key == "" {
			return fmt.Errorf("option %q has no name", part)
		}
		out = append(out, tagOption{Key: key, Value: strings.TrimSpace(value), HasValue: has})
		return nil
	}
	for i := 0; i < len(tag); i++ {
		switch c := tag[i]; {
		case c == '\'':
			quote = !quote
		case quote:
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return nil, fmt.Errorf("unbalanced ')' at offset %d", i)
			}
			depth--
		case c == ',' && depth == 0:
			if err := add(tag[start:i]); err != nil {
				return nil, err
			}
			start = i + 1
		}
	}
	if quote {
		return nil, fmt.Errorf("unterminated quote")
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced '('")
	}
	if err := add(tag[start:]); err != nil {
		return nil, err
	}
	return out, nil
}
