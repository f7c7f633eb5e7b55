package nlu

import "math"

// A keywordPattern is a keyword example: its terms must all appear in a
// query, in any order, with at most one other word between consecutive ones.
type keywordPattern struct {
	label int32
	terms []string
}

// maxKeywordGap is how many query words may separate consecutive keywords.
const maxKeywordGap = 1

// matchKeywords sets the margin of every label with a matching keyword
// pattern to +Inf, which scores 1.
func (m *Matcher) matchKeywords(sc *scratch) {
	for _, p := range m.keywords {
		if sc.keyword[p.label] {
			continue
		}
		if keywordsMatch(p.terms, sc.terms) {
			sc.raw[p.label] = math.Inf(1)
			sc.keyword[p.label] = true
		}
	}
}

// keywordsMatch reports whether every keyword occurs in query such that,
// with the occurrences sorted by position, no more than maxKeywordGap words
// separate neighbours. Repeated keywords need distinct occurrences.
func keywordsMatch(keywords, query []string) bool {
	if len(keywords) == 0 || len(keywords) > len(query) {
		return false
	}
	// The matched occurrences form a window of the query at most
	// len(keywords)*(maxKeywordGap+1)-maxKeywordGap words long in which
	// each gap is small; try every start position.
	maxSpan := len(keywords)*(maxKeywordGap+1) - maxKeywordGap
	var used [64]bool
	if len(keywords) > len(used) {
		return false
	}
	for start := range query {
		if !isKeyword(query[start], keywords) {
			continue
		}
		// Greedily extend from start: take any keyword occurrence within
		// the allowed gap of the last taken one.
		clear(used[:len(keywords)])
		n, last := 0, start-1
		for i := start; i < len(query) && i < start+maxSpan && i-last <= maxKeywordGap+1; i++ {
			for k, kw := range keywords {
				if !used[k] && kw == query[i] {
					used[k] = true
					n++
					last = i
					break
				}
			}
			if n == len(keywords) {
				return true
			}
		}
	}
	return false
}

func isKeyword(t string, keywords []string) bool {
	for _, k := range keywords {
		if k == t {
			return true
		}
	}
	return false
}
